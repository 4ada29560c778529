// The CLI's view of its terminal: where output goes and whether it is a person watching.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdoutIsTTY: boolean;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
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
