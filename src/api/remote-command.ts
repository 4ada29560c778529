// The Kubernetes remote-command stream protocol (`v4.channel.k8s.io`, `v5.channel.k8s.io`) that
// exec and attach speak over a WebSocket: each binary message starts with its channel; the error
// channel carries one Status at the end (success, or the command's exit code); resize carries the
// terminal's size as JSON; v5 adds a message that half-closes a channel (stdin's end).

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** What jobctl's server speaks, most preferred first (kubectl 1.30+ asks for v5 only; the Python client for v4). */
export const STREAM_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** `PodExecOptions` / `PodAttachOptions` as their query carries them. */
export interface StreamOptions {
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function streamQuery(o: StreamOptions): URLSearchParams {
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  if (o.container) q.set('container', o.container);
  if (o.stderr) q.set('stderr', 'true');
  if (o.stdin) q.set('stdin', 'true');
  if (o.stdout) q.set('stdout', 'true');
  if (o.tty) q.set('tty', 'true');
  return q;
}

export function parseStreamQuery(q: URLSearchParams): StreamOptions {
  // As Go's strconv.ParseBool reads them (the Python client sends `True`).
  const on = (k: string) => ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(q.get(k) ?? '');
  return {
    container: q.get('container') ?? undefined,
    command: q.getAll('command'),
    stdin: on('stdin'),
    stdout: on('stdout'),
    stderr: on('stderr'),
    tty: on('tty'),
  };
}

/** What the error channel carries: a metav1.Status as the kubelet writes it (no kind, no code). */
export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** The error channel's last word: success, or the exit code as the kubelet reports it. */
export function exitStatus(exitCode: number, command: string[]): StreamStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** A failure on the error channel, as the kubelet reports one it hit while streaming. */
export function streamFailure(message: string): StreamStatus {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError' };
}

/**
 * The error channel read by a client, as client-go's v4 decoder does: undefined for success, an
 * exit code, or a message to print after `error: `.
 */
export function decodeStreamStatus(text: string): { exitCode?: number; message?: string } {
  if (!text) return {};
  let s: StreamStatus;
  try {
    s = JSON.parse(text) as StreamStatus;
  } catch (e) {
    return { message: `error stream protocol error: ${(e as Error).message} in ${JSON.stringify(text)}` };
  }
  if (s.status === 'Success') return {};
  if (s.status !== 'Failure') return { message: 'error stream protocol error: unknown error' };
  if (s.reason === 'NonZeroExitCode') {
    const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
    if (!cause) return { message: 'error stream protocol error: no ExitCode cause given' };
    const code = Number(cause.message);
    if (!/^\d+$/.test(cause.message ?? '') || code > 255)
      return { message: `error stream protocol error: invalid exit code value ${JSON.stringify(cause.message)}` };
    return { exitCode: code };
  }
  return { message: s.message ?? '' };
}
