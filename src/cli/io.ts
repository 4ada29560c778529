// The CLI's view of its terminal: where output goes and whether it is a person watching; and
// where its requests go (target.ts).
import type { Endpoint } from '../client/index.js';

/** A cluster chosen through a kubeconfig context. */
export interface Target {
  context: string;
  endpoint: Endpoint;
  /** The context's namespace, used unless -n is given. */
  namespace?: string;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdoutIsTTY: boolean;
  /** The terminal's width, when stdout is one that reports it. */
  columns?: number;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  /** The process's own streams, for verbs that pass bytes through (exec, attach, cp). */
  std?: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream };
  /** Set before a verb runs when it goes to a cluster; undefined: the local server. */
  target?: Target;
}

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || undefined,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    std: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  };
}

/** A user-facing failure: printed as `error: <message>`, then the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The command already printed what went wrong; only the exit code is left to report. */
export class ExitError extends Error {
  constructor(readonly exitCode = 1) {
    super(`exit ${exitCode}`);
  }
}

const warnedBy = new WeakMap<Io, Set<string>>();

/** The server's warnings, each once per command, as kubectl's warning writer deduplicates them. */
export function warn(io: Io, warnings: readonly string[]): void {
  const seen = warnedBy.get(io) ?? new Set<string>();
  warnedBy.set(io, seen);
  for (const w of warnings) {
    if (seen.has(w)) continue;
    seen.add(w);
    io.err(`Warning: ${w}\n`);
  }
}
