// The pods/exec and pods/attach subresources: checked as the API server and the kubelet check
// them, then upgraded to a WebSocket speaking the remote-command protocol (v5 or v4
// channel.k8s.io) and bridged to the engine's exec or attach. Refusals before the upgrade come as
// a Status (the API server's) or plain text (the kubelet's, which kubectl prints after `unable to
// upgrade connection: `). SPDY, the older transport, is refused in words: kubectl 1.30 and later
// and the client libraries use WebSockets.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  acceptKey,
  CHANNEL,
  exitStatus,
  makeStatus,
  parseStreamQuery,
  STREAM_PROTOCOLS,
  StatusError,
  streamFailure,
  WebSocket,
  type Pod,
  type Status,
  type StreamOptions,
} from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import { isRuntimeError, type ContainerRuntime, type StreamSession } from '../runtime/cri.js';

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

/** A refusal in the kubelet's words: plain text. */
class KubeletRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function answer(socket: Duplex, code: number, body: string, type: string): void {
  socket.end(
    `HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export const refuseUpgrade = (socket: Duplex, s: Status): void =>
  answer(socket, s.code, JSON.stringify(s), 'application/json');

const bad = (message: string) => new StatusError(makeStatus(400, 'BadRequest', message));

/** The container a request names, checked as the API server does (its messages). */
function containerOf(pod: Pod, o: StreamOptions): string {
  const name = pod.metadata.name ?? '';
  const containers = pod.spec.containers.map((c) => c.name);
  const all = [...(pod.spec.initContainers ?? []).map((c) => c.name), ...containers];
  if (!o.container) {
    if (containers.length === 1) return containers[0];
    throw bad(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
  }
  if (!all.includes(o.container)) throw bad(`container ${o.container} is not valid for pod ${name}`);
  return o.container;
}

export class RemoteCommands {
  private readonly open = new Set<{ ws: WebSocket; session: StreamSession }>();

  constructor(
    private readonly store: ObjectStore,
    private readonly runtime: ContainerRuntime,
  ) {}

  count(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const s of this.open) {
      s.session.close();
      s.ws.close(1001, 'server stopping');
    }
    this.open.clear();
  }

  /** Whether `pathname` is a streaming subresource this serves. */
  static handles(pathname: string): boolean {
    return STREAM_PATH.test(pathname);
  }

  async serve(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      await this.upgrade(req, socket, head);
    } catch (e) {
      if (e instanceof StatusError) refuseUpgrade(socket, e.status);
      else if (e instanceof KubeletRefusal) answer(socket, e.code, e.message, 'text/plain; charset=utf-8');
      else refuseUpgrade(socket, makeStatus(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, ns, name, verb] = STREAM_PATH.exec(url.pathname)!.map((x) => x && decodeURIComponent(x));
    if (req.method !== 'GET' && req.method !== 'POST')
      throw new StatusError(
        makeStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
      );
    const o = parseStreamQuery(url.searchParams);
    const pod = this.store.get<Pod>('Pod', ns, name);
    if (!pod) throw new StatusError(makeStatus(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    const container = containerOf(pod, o);
    if (!o.stdin && !o.stdout && !o.stderr) throw bad('you must specify at least 1 of stdin, stdout, stderr');
    if (verb === 'exec' && o.command.length === 0) throw bad('you must specify at least one command for the container');
    if (!pod.spec.nodeName) throw bad(`pod ${name} does not have a host assigned`);
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    if (!status?.state?.running || !status.containerID)
      throw new KubeletRefusal(404, `container not found ("${container}")`);
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket')
      throw new KubeletRefusal(
        400,
        `jobctl serves ${verb} over WebSocket (${STREAM_PROTOCOLS.join(', ')}), not ${req.headers.upgrade ?? 'a plain request'}`,
      );
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const protocol = offered.find((p) => (STREAM_PROTOCOLS as readonly string[]).includes(p));
    const key = req.headers['sec-websocket-key'];
    if (!protocol || !key)
      throw new KubeletRefusal(
        400,
        `none of the stream protocols offered (${offered.filter(Boolean).join(', ') || 'none'}) is served: jobctl speaks ${STREAM_PROTOCOLS.join(', ')}`,
      );

    // Output that arrives before the WebSocket exists waits for it.
    const to: { ws?: WebSocket; early: Buffer[] } = { early: [] };
    const send = (channel: number, data: Buffer) => {
      const message = Buffer.concat([Buffer.from([channel]), data]);
      if (to.ws) to.ws.send(message);
      else to.early.push(message);
    };
    const id = status.containerID.replace(/^[a-z]+:\/\//, '');
    const spec = { cmd: verb === 'exec' ? o.command : undefined, ...o, stderr: o.stderr && !o.tty };
    const onOutput = (stream: 'stdout' | 'stderr', d: Buffer) =>
      send(stream === 'stderr' ? CHANNEL.stderr : CHANNEL.stdout, d);
    let session: StreamSession;
    try {
      session = await (verb === 'exec'
        ? this.runtime.exec(id, spec, onOutput)
        : this.runtime.attach(id, spec, onOutput));
    } catch (e) {
      if (isRuntimeError(e, 404) || isRuntimeError(e, 409))
        throw new KubeletRefusal(404, `container not found ("${container}")`);
      throw new KubeletRefusal(isRuntimeError(e, 0) ? 503 : 500, (e as Error).message);
    }

    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Accept: ${acceptKey(String(key))}`,
        `Sec-WebSocket-Protocol: ${protocol}`,
        '',
        '',
      ].join('\r\n'),
    );
    const entry = {
      session,
      ws: new WebSocket(
        socket,
        false,
        {
          onMessage: (m) => {
            if (m.length === 0) return;
            const body = m.subarray(1);
            if (m[0] === CHANNEL.stdin) session.write(body);
            else if (m[0] === CHANNEL.resize) {
              try {
                const { Width, Height } = JSON.parse(body.toString('utf8')) as { Width: number; Height: number };
                if (Width > 0 && Height > 0) session.resize(Width, Height).catch(() => undefined);
              } catch {
                /* not a size: ignored, as the kubelet does */
              }
            } else if (m[0] === CHANNEL.close && body[0] === CHANNEL.stdin && protocol.startsWith('v5.'))
              session.endInput();
          },
          onClose: () => {
            this.open.delete(entry);
            session.close();
          },
        },
        head,
      ),
    };
    const ws = entry.ws;
    this.open.add(entry);
    for (const m of to.early.splice(0)) ws.send(m);
    to.ws = ws;
    session.done.then(
      ({ exitCode }) => {
        send(CHANNEL.error, Buffer.from(JSON.stringify(exitStatus(exitCode ?? 0, o.command))));
        ws.close(1000);
      },
      (e: unknown) => {
        send(CHANNEL.error, Buffer.from(JSON.stringify(streamFailure((e as Error).message))));
        ws.close(1000);
      },
    );
  }
}
