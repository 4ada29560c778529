// The layout of JOBCTL_HOME, shared by the server (which writes it) and the client (which reads
// the address and token from it).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function jobctlHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.JOBCTL_HOME || join(homedir(), '.jobctl');
}

export const homePaths = (home: string) => ({
  home,
  database: join(home, 'state.db'),
  token: join(home, 'token'),
  address: join(home, 'server.json'),
  pid: join(home, 'server.pid'),
  serverLog: join(home, 'server.log'),
  logs: join(home, 'logs'),
  pods: join(home, 'pods'),
});

/** What the server writes to `server.json` once it listens. */
export interface ServerAddress {
  pid: number;
  port: number;
  startedAt: string;
}
