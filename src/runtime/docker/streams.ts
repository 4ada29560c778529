// exec, attach and stats on the Docker Engine API: the request is hijacked (`Upgrade: tcp`) and the
// connection becomes the process's stdin and output, multiplexed as the log stream is unless it
// has a terminal. Half-closing the connection ends the process's stdin.
import type { Duplex } from 'node:stream';
import { RuntimeError, type ContainerUsage, type StreamOutput, type StreamSession, type StreamSpec } from '../cri.js';
import type { EngineConnection } from './connection.js';
import { DOCKER_API_VERSION, demux } from './wire.js';

export type EngineCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * Opens `path` (a POST, with `body` as JSON if any) and takes over its connection once the engine
 * agrees. Attach takes no body: Podman would pass one on to the container's stdin.
 */
function hijack(conn: EngineConnection, path: string, body?: unknown): Promise<{ socket: Duplex; head: Buffer }> {
  const data = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = conn.request(
      {
        method: 'POST',
        path: `/${DOCKER_API_VERSION}${path}`,
        headers: {
          ...(data.length ? { 'Content-Type': 'application/json' } : {}),
          'Content-Length': data.length,
          Connection: 'Upgrade',
          Upgrade: 'tcp',
        },
        timeout: 60_000,
      },
      (res) => {
        // Anything but 101 is a refusal (Docker and Podman both upgrade): its message, or its status.
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let message = text.trim();
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            /* not JSON */
          }
          const code = res.statusCode ?? 500;
          reject(new RuntimeError(code < 400 ? 500 : code, message.trim() || `the engine did not upgrade ${path}`));
        });
      },
    );
    req.on('upgrade', (_res, socket, head) => {
      socket.setTimeout(0);
      resolve({ socket, head });
    });
    req.on('timeout', () => req.destroy(new RuntimeError(0, `Docker engine did not answer POST ${path}`)));
    req.on('error', (e) => reject(e instanceof RuntimeError ? e : new RuntimeError(0, e.message)));
    req.end(data);
  });
}

/** The session over a hijacked connection; `finish` says how it ended (an exit code for exec). */
function session(
  socket: Duplex,
  head: Buffer,
  spec: StreamSpec,
  onOutput: StreamOutput,
  resize: (w: number, h: number) => Promise<void>,
  finish: () => Promise<{ exitCode?: number }>,
): StreamSession {
  const out = spec.tty ? (d: Buffer) => onOutput('stdout', d) : demux(onOutput);
  const ended = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  socket.on('data', out);
  if (head.length) out(head);
  let inputOpen = spec.stdin;
  return {
    write: (d) => {
      if (inputOpen) socket.write(d);
    },
    endInput: () => {
      if (!inputOpen) return;
      inputOpen = false;
      socket.end();
    },
    resize,
    close: () => socket.destroy(),
    done: ended.then(finish),
  };
}

export async function dockerExec(
  conn: EngineConnection,
  call: EngineCall,
  containerId: string,
  spec: StreamSpec,
  onOutput: StreamOutput,
): Promise<StreamSession> {
  const { Id } = await call<{ Id: string }>('POST', `/containers/${containerId}/exec`, {
    AttachStdin: spec.stdin,
    AttachStdout: spec.stdout,
    AttachStderr: spec.stderr,
    Tty: spec.tty,
    Cmd: spec.cmd,
  });
  const { socket, head } = await hijack(conn, `/exec/${Id}/start`, { Detach: false, Tty: spec.tty });
  const exitCode = async () => {
    // The stream ends as the process does; its exit code follows within moments.
    for (let i = 0; ; i++) {
      const e = await call<{ Running: boolean; ExitCode: number | null }>('GET', `/exec/${Id}/json`);
      if (!e.Running || i >= 50) return { exitCode: e.ExitCode ?? 0 };
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const resize = (w: number, h: number) => call<void>('POST', `/exec/${Id}/resize?h=${h}&w=${w}`);
  return session(socket, head, spec, onOutput, resize, exitCode);
}

interface StatsAnswer {
  read: string;
  preread: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  precpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/** How long apart two samples are taken when the engine gives one (Podman): Docker's own window. */
const SAMPLE_GAP_MS = 1000;

/**
 * A container's CPU rate and memory working set. Docker's `stats?stream=false` samples twice, a
 * second apart, and reports both; Podman reports one sample, so a second is taken here.
 */
export async function dockerStats(call: EngineCall, containerId: string): Promise<ContainerUsage> {
  const path = `/containers/${containerId}/stats?stream=false`;
  const s = await call<StatsAnswer>('GET', path);
  const cpu = (x: StatsAnswer['cpu_stats']) => x?.cpu_usage?.total_usage ?? 0;
  let before = { cpu: cpu(s.precpu_stats), at: Date.parse(s.preread) };
  let after = s;
  if (!before.cpu || !(Date.parse(s.read) > before.at)) {
    before = { cpu: cpu(s.cpu_stats), at: Date.parse(s.read) };
    await new Promise((r) => setTimeout(r, SAMPLE_GAP_MS));
    after = await call<StatsAnswer>('GET', path);
  }
  const windowMs = Date.parse(after.read) - before.at;
  if (!(windowMs > 0)) throw new RuntimeError(503, `no CPU sample yet for container ${containerId}`);
  const stats = after.memory_stats?.stats ?? {};
  // cgroup v1 names it total_inactive_file, v2 inactive_file; Podman gives neither.
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return {
    cpuNanoCores: Math.max(0, Math.round(((cpu(after.cpu_stats) - before.cpu) / (windowMs * 1e6)) * 1e9)),
    memoryWorkingSetBytes: Math.max(0, (after.memory_stats?.usage ?? 0) - inactive),
    timestamp: after.read,
    windowMs,
  };
}

export async function dockerAttach(
  conn: EngineConnection,
  call: EngineCall,
  containerId: string,
  spec: StreamSpec,
  onOutput: StreamOutput,
): Promise<StreamSession> {
  const q = `stream=1&stdin=${spec.stdin ? 1 : 0}&stdout=${spec.stdout ? 1 : 0}&stderr=${spec.stderr ? 1 : 0}`;
  const { socket, head } = await hijack(conn, `/containers/${containerId}/attach?${q}`);
  const resize = (w: number, h: number) => call<void>('POST', `/containers/${containerId}/resize?h=${h}&w=${w}`);
  return session(socket, head, spec, onOutput, resize, async () => ({}));
}

/** The session once open, kept in `open` until it is done (the runtime ends them on close). */
export async function tracked(open: Set<StreamSession>, opening: Promise<StreamSession>): Promise<StreamSession> {
  const s = await opening;
  open.add(s);
  void s.done.finally(() => open.delete(s));
  return s;
}
