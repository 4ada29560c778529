// Runs the CLI in-process with captured output (fast: for parsing, validation and printing tests).
import { main } from '../../src/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    stdoutIsTTY: false,
    readStdin: async () => opts.stdin ?? '',
    env: { ...process.env, ...opts.env },
  };
  const code = await main(['node', 'jobctl', ...args], io);
  return { code, stdout, stderr };
}
