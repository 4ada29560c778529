// `jobctl server stop`: SIGTERM to the server of this JOBCTL_HOME, then wait for it to go.
import { readFileSync } from 'node:fs';
import { homePaths, isProcessAlive, jobctlHome, type ServerAddress } from '../api/index.js';

export const STOP_TIMEOUT_MS = 30_000;

/** Returns false when no server was running. */
export async function stopServer(env: NodeJS.ProcessEnv): Promise<boolean> {
  const p = homePaths(jobctlHome(env));
  let pid: number;
  try {
    pid = (JSON.parse(readFileSync(p.address, 'utf8')) as ServerAddress).pid;
  } catch {
    try {
      pid = Number(readFileSync(p.pid, 'utf8').trim());
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s`);
}
