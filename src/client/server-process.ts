// Finding the server for this JOBCTL_HOME, and starting it detached when none answers.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homePaths, jobctlHome, type ServerAddress } from '../api/index.js';

export const SERVER_START_TIMEOUT_MS = 20_000;
const POLL_MS = 25;

export interface Connection {
  port: number;
  token: string;
  home: string;
  /** The CA of the server's certificate (JOBCTL_HOME/ca.crt): the only one trusted. */
  ca: Buffer;
}

export class ServerUnavailableError extends Error {}

function readAddress(home: string): Connection | undefined {
  const p = homePaths(home);
  try {
    const addr = JSON.parse(readFileSync(p.address, 'utf8')) as ServerAddress;
    const token = readFileSync(p.token, 'utf8').trim();
    return { port: addr.port, token, home, ca: readFileSync(p.caCert) };
  } catch {
    return undefined;
  }
}

export function healthy(c: Connection, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: c.port,
        ca: c.ca,
        path: '/healthz',
        headers: { Authorization: `Bearer ${c.token}` },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** This package's bin/jobctl.cjs, found upward from this module: src/client/ when run from source,
 * dist/ when bundled. */
function cliEntry(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'bin', 'jobctl.cjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new ServerUnavailableError(
        `cannot find bin/jobctl.cjs above ${fileURLToPath(import.meta.url)} to start the server`,
      );
  }
}

/** The running server's connection, if one answers. */
export async function findServer(env: NodeJS.ProcessEnv): Promise<Connection | undefined> {
  const c = readAddress(jobctlHome(env));
  return c && (await healthy(c)) ? c : undefined;
}

/** Connects to the server, starting one (detached, logging to server.log) when none answers. */
export async function ensureServer(env: NodeJS.ProcessEnv): Promise<Connection> {
  const found = await findServer(env);
  if (found) return found;
  const home = jobctlHome(env);
  const p = homePaths(home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const logFd = openSync(p.serverLog, 'a', 0o600);
  const logStart = fstatSync(logFd).size;
  const entry = cliEntry();
  // Two CLIs racing here both spawn; the server's exclusive pid file lets only one run.
  // Loaded here, not at start-up: most commands find a server already running.
  const { execa } = await import('execa');
  // Without NODE_EXTRA_CA_CERTS, as bin/jobctl runs the CLI: the server makes no TLS connection.
  const { NODE_EXTRA_CA_CERTS: _unused, ...serverEnv } = env;
  const child = execa(process.execPath, [entry, 'server'], {
    detached: true,
    stdin: 'ignore',
    // A file descriptor, so the server writes its log itself and the CLI can exit at once
    // (execa's `{file}` target would pipe through this process). Its types only take fd literals.
    stdout: logFd as 1,
    stderr: logFd as 2,
    env: { ...serverEnv, JOBCTL_HOME: home },
    extendEnv: false,
    reject: false,
  });
  child.unref();
  closeSync(logFd);
  // A server that refuses to start (bad settings, an engine it cannot use) says why and exits:
  // that is the answer, at once. (One that lost a race to another CLI's server waits for it.)
  let refused: string | undefined;
  void child.then((r) => {
    if (r.exitCode === 0) return;
    const said = readFileSync(p.serverLog, 'utf8').slice(logStart).trim();
    if (!/already runs for this JOBCTL_HOME/.test(said)) refused = said.replace(/^error: /, '');
  });
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const c = readAddress(home);
    if (c && (await healthy(c))) return c;
    if (refused !== undefined)
      throw new ServerUnavailableError(refused || `the jobctl server exited at start (log: ${p.serverLog})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  let tail = '';
  try {
    const log = readFileSync(p.serverLog, 'utf8').trim().split('\n');
    tail = log.slice(-3).join('\n');
  } catch {
    /* no log */
  }
  throw new ServerUnavailableError(
    `the jobctl server did not start within ${SERVER_START_TIMEOUT_MS / 1000}s (log: ${p.serverLog})${tail ? `:\n${tail}` : ''}`,
  );
}
