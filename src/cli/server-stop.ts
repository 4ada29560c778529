// `jobctl server stop`.
import { stopServer } from '../client/index.js';
import type { Io } from './io.js';

export async function runServerStop(io: Io): Promise<void> {
  const stopped = await stopServer(io.env);
  io.out(stopped ? 'jobctl server stopped\n' : 'no jobctl server is running\n');
}
