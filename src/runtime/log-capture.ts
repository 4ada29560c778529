// A container run's output, captured into its own file as `<ts> <stream> <line>` lines (see
// log-files.ts), from the runtime's followed log stream until the container stops.
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Pod } from '../api/index.js';
import type { ContainerRuntime } from './cri.js';
import { containerLogFile, ensureContainerLogDir } from './log-files.js';
import { ensurePodRecord } from './run-records.js';

/** Longest captured log line; longer ones are split (the engine itself splits at 16 KiB). */
export const MAX_LOG_LINE_BYTES = 64 * 1024;

export function runLogFile(logRoot: string, pod: Pod, container: string, restart: number): string {
  const m = pod.metadata;
  return containerLogFile(logRoot, m.namespace ?? '', m.name ?? '', m.uid ?? '', container, restart);
}

/**
 * Tells a following reader (the server's `logs -f`) when a run's file has grown: it reads on
 * each write instead of polling. Events are named by the file's path.
 */
export class LogWrites extends EventEmitter {
  /** The captures under way, by file: a reader of a run that ended waits for its last lines. */
  private readonly capturing = new Map<string, Promise<unknown>>();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Calls `fn` after each write to `file`; returns the function that stops it. */
  onWrite(file: string, fn: () => void): () => void {
    this.on(file, fn);
    return () => void this.off(file, fn);
  }

  captures(file: string, done: Promise<unknown>): void {
    this.capturing.set(file, done);
    const forget = () => {
      if (this.capturing.get(file) === done) this.capturing.delete(file);
    };
    done.then(forget, forget);
  }

  /**
   * Resolves once the capture of `file` has ended (at once if none is under way), or after
   * `maxMs`: an exit is recorded after at most LOG_DRAIN_MAX_MS of waiting for its output, so
   * on a loaded machine `logs` may ask before the last lines are in the file.
   */
  async settled(file: string, maxMs: number): Promise<void> {
    const done = this.capturing.get(file);
    if (!done) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, maxMs)))]);
    clearTimeout(timer);
  }
}

/** Captures one run's output; resolves, with the bytes written, once the stream has ended and the file is flushed. */
export async function captureRunLogs(
  runtime: Pick<ContainerRuntime, 'followLogs'>,
  logRoot: string,
  pod: Pod,
  container: string,
  id: string,
  restart: number,
  writes?: LogWrites,
): Promise<number> {
  const m = pod.metadata;
  const file = runLogFile(logRoot, pod, container, restart);
  // Opened at the first line: most batch containers of a big Job print nothing, and a missing
  // file reads as an empty log.
  let out: WriteStream | undefined;
  let bytes = 0;
  const write = (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out) {
      ensurePodRecord(logRoot, pod);
      ensureContainerLogDir(logRoot, m.namespace ?? '', m.name ?? '', m.uid ?? '', container);
      out = createWriteStream(file, { flags: 'w', mode: 0o600 });
    }
    out.write(line, () => writes?.emit(file));
  };
  const partial: Record<string, string> = { stdout: '', stderr: '' };
  let ended!: () => void;
  writes?.captures(file, new Promise<void>((r) => (ended = r)));
  try {
    const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === container);
    await runtime.followLogs(
      id,
      (which, frame) => {
        // Each frame is "<RFC3339Nano> <text>"; the runtime splits long lines, so join until '\n'.
        // A line without an end is flushed at MAX_LOG_LINE_BYTES: no line grows without bound.
        const sp = frame.indexOf(' ');
        const ts = frame.slice(0, sp);
        const acc = partial[which] + frame.slice(sp + 1);
        if (acc.endsWith('\n') || acc.length >= MAX_LOG_LINE_BYTES) {
          write(`${ts} ${which} ${acc.endsWith('\n') ? acc : acc + '\n'}`);
          partial[which] = '';
        } else partial[which] = acc;
      },
      Boolean(spec?.tty),
    );
  } catch {
    /* the container is gone already: whatever was captured stays */
  }
  const ts = new Date().toISOString();
  for (const which of ['stdout', 'stderr']) if (partial[which]) write(`${ts} ${which} ${partial[which]}\n`);
  const opened = out as WriteStream | undefined;
  if (opened) await new Promise<void>((resolve) => opened.end(resolve));
  ended?.();
  return bytes;
}
