// The entry point and the one error boundary: typed errors become messages and exit codes here.
import { CommanderError } from 'commander';
import { KubeconfigError, StatusError } from './api/index.js';
import { ConnectionError } from './client/index.js';
import { buildProgram } from './cli/program.js';
import { CliError, ExitError, processIo, type Io } from './cli/io.js';
import { renderStatus } from './print/errors.js';

/** Whether this process ran the server, whose file writes may still be in flight when it stops. */
let ranServer = false;

/**
 * Whether the process may exit as soon as `main` returns (once its output is with the kernel),
 * rather than let Node tear its heap down first (10-30 ms of a command's time here): nothing a
 * client command started needs it then.
 */
export const mayExitAtOnce = (): boolean => !ranServer;

/** `jobctl server`: runs until SIGTERM/SIGINT or idle. The server code loads only here. */
async function runServerForeground(io: Io): Promise<void> {
  ranServer = true;
  const { readServerConfig, ConfigError } = await import('./server/config.js');
  const { startServer, ServerStartError } = await import('./server/server.js');
  const log = (m: string) => io.err(`${new Date().toISOString()} ${m}\n`);
  let running;
  try {
    running = await startServer(readServerConfig(io.env), log);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ServerStartError) throw new CliError(e.message);
    throw e;
  }
  const stop = () => void running.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await running.done;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io, () => runServerForeground(io));
  // The shells' completion scripts ask here, outside the parser: the words may hold any flags.
  if (argv[2] === '__complete') {
    const { runComplete } = await import('./cli/completion.js');
    await runComplete(program, argv.slice(3), io);
    return 0;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help'
        ? 0
        : 1;
    }
    if (e instanceof ExitError) return e.exitCode;
    if (e instanceof CliError) {
      io.err(`error: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof KubeconfigError) {
      io.err(`${e.inConfiguration ? 'Error in configuration: ' : 'error: '}${e.message}\n`);
      return 1;
    }
    if (e instanceof ConnectionError) {
      io.err(`${e.message}\n`);
      return 1;
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
