// `jobctl server start` and `jobctl server stop`.
import { ensureServer, stopServer, ServerUnavailableError } from '../client/index.js';
import { CliError, type Io } from './io.js';

export async function runServerStart(io: Io): Promise<void> {
  try {
    const c = await ensureServer(io.env);
    io.out(`jobctl server listening on https://127.0.0.1:${c.port} (home ${c.home})\n`);
  } catch (e) {
    if (e instanceof ServerUnavailableError) throw new CliError(e.message);
    throw e;
  }
}

export async function runServerStop(io: Io): Promise<void> {
  const stopped = await stopServer(io.env);
  io.out(stopped ? 'jobctl server stopped\n' : 'no jobctl server is running\n');
}
