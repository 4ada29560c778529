// The entry point and the one error boundary: typed errors become messages and exit codes here.
import { CommanderError } from 'commander';
import { StatusError } from './api/index.js';
import { buildProgram } from './cli/program.js';
import { CliError, ExitError, processIo, type Io } from './cli/io.js';
import { renderStatus } from './print/errors.js';

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 1;
    }
    if (e instanceof ExitError) return e.exitCode;
    if (e instanceof CliError) {
      io.err(`error: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof StatusError) {
      io.err(`${renderStatus(e.status)}\n`);
      return 1;
    }
    const err = e as Error;
    io.err(`error: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env.JOBCTL_DEBUG) io.err(`${err?.stack ?? ''}\n`);
    return 2;
  }
}
