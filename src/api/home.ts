// The layout of JOBCTL_HOME, shared by the server (which writes it) and the client (which reads
// the address and token from it).
import { readFileSync } from 'node:fs';
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
  /** The port the server listens on, kept across restarts (an exported kubeconfig names it). */
  port: join(home, 'server.port'),
  caCert: join(home, 'ca.crt'),
  caKey: join(home, 'ca.key'),
  serverCert: join(home, 'server.crt'),
  serverKey: join(home, 'server.key'),
  pid: join(home, 'server.pid'),
  serverLog: join(home, 'server.log'),
  logs: join(home, 'logs'),
  pods: join(home, 'pods'),
  /** The kubeconfig context `jobctl config use-context` chose (absent: the local server). */
  context: join(home, 'context'),
});

/** What the server writes to `server.json` once it listens. */
export interface ServerAddress {
  pid: number;
  port: number;
  startedAt: string;
}

/**
 * Whether a process runs. A zombie (killed, not yet reaped, as with a server whose parent CLI
 * exited and whose new parent does not reap) counts as dead: signal 0 alone would say alive.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc: trust the signal
  }
}
