// A remote command (exec, attach) as client-go's WebSocket executor runs it: the upgrade offering
// v5 and v4 channel.k8s.io, stdin out on channel 0 (and, in v5, its end), the terminal's size on
// channel 4 at the start and on each change, stdout and stderr in, and the error channel's Status
// read when the server closes the connection.
import {
  CHANNEL,
  decodeStreamStatus,
  STREAM_PROTOCOLS,
  streamQuery,
  WebSocket,
  type StreamOptions,
} from '../api/index.js';
import type { ApiClient } from './api-client.js';

export interface TerminalSize {
  width: number;
  height: number;
}

/** Where output goes: a stream, or anything that takes bytes. */
export interface OutputSink {
  write(data: Buffer): unknown;
}

export interface RemoteIo {
  stdin?: NodeJS.ReadableStream;
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** A terminal's size now and a way to hear of changes (tty sessions). */
  size?(): TerminalSize | undefined;
  onResize?(cb: () => void): () => void;
}

/** How the session ended: an exit code (0 for success) or a message kubectl prints after `error: `. */
export interface RemoteResult {
  exitCode?: number;
  message?: string;
}

/** Client-go's ping period: a quiet session (a shell waiting for input) keeps its connection. */
const PING_MS = 5000;

export async function runRemoteCommand(
  client: ApiClient,
  path: string,
  opts: StreamOptions,
  io: RemoteIo,
): Promise<RemoteResult> {
  const { socket, head, protocol } = await client.upgrade(`${path}?${streamQuery(opts)}`, STREAM_PROTOCOLS);
  return new Promise<RemoteResult>((resolve) => {
    let errorText = '';
    const cleanups: (() => void)[] = [];
    const ws = new WebSocket(
      socket,
      true,
      {
        onMessage: (m) => {
          const body = m.subarray(1);
          if (m[0] === CHANNEL.stdout) io.stdout?.write(body);
          else if (m[0] === CHANNEL.stderr) io.stderr?.write(body);
          else if (m[0] === CHANNEL.error) errorText += body.toString('utf8');
        },
        onClose: (code) => {
          for (const c of cleanups) c();
          if (!errorText && code !== 1000)
            resolve({ message: `next reader: websocket: close ${code} (abnormal closure): unexpected EOF` });
          else resolve(decodeStreamStatus(errorText));
        },
      },
      head,
    );
    const send = (channel: number, data: Buffer): boolean => ws.send(Buffer.concat([Buffer.from([channel]), data]));
    const ping = setInterval(() => ws.ping(), PING_MS);
    cleanups.push(() => clearInterval(ping));
    if (opts.tty && io.size) {
      const sendSize = () => {
        const s = io.size?.();
        if (s) send(CHANNEL.resize, Buffer.from(JSON.stringify({ Width: s.width, Height: s.height })));
      };
      sendSize();
      if (io.onResize) cleanups.push(io.onResize(sendSize));
    }
    const input = opts.stdin ? io.stdin : undefined;
    if (input) {
      // Read no faster than the connection sends (a large file into `cp`).
      const onData = (d: Buffer | string) => {
        if (send(CHANNEL.stdin, Buffer.isBuffer(d) ? d : Buffer.from(d))) return;
        input.pause();
        void ws.drained().then(() => input.resume());
      };
      // v4 has no way to say stdin ended; v5 half-closes the channel.
      const onEnd = () => {
        if (protocol.startsWith('v5.')) ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]));
      };
      input.on('data', onData);
      input.once('end', onEnd);
      cleanups.push(() => {
        input.off('data', onData);
        input.off('end', onEnd);
        input.pause();
      });
    }
  });
}
