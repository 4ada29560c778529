// Which Docker engine to use: the one the docker CLI would use. DOCKER_HOST first; else the
// context named by DOCKER_CONTEXT, else the current context of the docker CLI's config.json
// (DOCKER_CONFIG, else ~/.docker), read from its contexts store; else the default socket, or, when
// there is none, Podman's Docker-compatible one. `unix://`, `tcp://` (TLS as the docker CLI reads
// DOCKER_TLS_VERIFY, DOCKER_TLS and DOCKER_CERT_PATH, or a context's TLS material) and
// `ssh://[user@]host[:port][/socket]` (through `ssh ... docker system dial-stdio`). An endpoint
// jobctl cannot use is an error naming it, never a silent fall back to another engine.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
const DEFAULT_TLS_HOST = 'tcp://localhost:2376';
const DEFAULT_TCP_PORT = 2375;

/** Client TLS as the docker CLI builds it: a CA to trust, a client certificate, or no checking. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  skipVerify: boolean;
}

export type DockerTransport =
  | { kind: 'unix'; socket: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsMaterial }
  /** `ssh` with these arguments runs `docker system dial-stdio` on the engine's host, `host`. */
  | { kind: 'ssh'; host: string; args: string[] };

export interface DockerEndpoint {
  /** `unix:///run/user/1000/docker.sock`, `tcp://10.0.0.5:2376`, `ssh://me@build` */
  host: string;
  /** Where the choice came from: `DOCKER_HOST`, `context "colima"`, `the default`. */
  from: string;
  transport: DockerTransport;
}

export class DockerEndpointError extends Error {}

function readFile(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DockerEndpointError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  const data = readFile(path);
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new DockerEndpointError(`${path}: ${(e as Error).message}`);
  }
}

const contextId = (name: string) => createHash('sha256').update(name).digest('hex');

/** A named context's docker endpoint and TLS material, from the docker CLI's contexts store. */
function fromContext(configDir: string, name: string): { host: string; tls?: TlsMaterial } {
  const meta = join(configDir, 'contexts', 'meta', contextId(name), 'meta.json');
  const m = readJson(meta);
  if (!m) throw new DockerEndpointError(`context "${name}": context not found: ${meta} does not exist`);
  const docker = (m.Endpoints as Record<string, { Host?: string; SkipTLSVerify?: boolean }> | undefined)?.docker;
  if (!docker?.Host) throw new DockerEndpointError(`context "${name}" has no docker endpoint (${meta})`);
  const dir = join(configDir, 'contexts', 'tls', contextId(name), 'docker');
  const [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map((f) => readFile(join(dir, f)));
  const skipVerify = docker.SkipTLSVerify === true;
  return { host: docker.Host, tls: ca || cert || key || skipVerify ? { ca, cert, key, skipVerify } : undefined };
}

/** TLS from the environment, as the docker CLI's flags default: DOCKER_TLS_VERIFY, DOCKER_TLS, DOCKER_CERT_PATH. */
function tlsFromEnv(env: NodeJS.ProcessEnv, configDir: string): TlsMaterial | undefined {
  const verify = !!env.DOCKER_TLS_VERIFY;
  if (!verify && !env.DOCKER_TLS) return undefined;
  const dir = env.DOCKER_CERT_PATH || configDir;
  const required = (file: string) => {
    const data = readFile(join(dir, file));
    if (!data)
      throw new DockerEndpointError(
        `could not read CA certificate "${join(dir, file)}": no such file (${verify ? 'DOCKER_TLS_VERIFY' : 'DOCKER_TLS'} is set)`,
      );
    return data;
  };
  // As the docker CLI: the CA must be there; a client certificate and key are used if they are.
  return {
    ca: required('ca.pem'),
    cert: readFile(join(dir, 'cert.pem')),
    key: readFile(join(dir, 'key.pem')),
    skipVerify: !verify,
  };
}

/** The docker CLI's own quoting of the remote command (POSIX shell words). */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function sshTransport(host: string): DockerTransport {
  let u: URL;
  try {
    u = new URL(host);
  } catch {
    throw new DockerEndpointError(`ssh host connection is not valid: invalid SSH URL: ${host}`);
  }
  const bad = (why: string) => new DockerEndpointError(`ssh host connection is not valid: invalid SSH URL: ${why}`);
  if (u.password) throw bad('plain-text password is not supported');
  if (!u.hostname) throw bad('hostname is empty');
  if (u.search) throw bad(`query parameters are not allowed: "${u.search.slice(1)}"`);
  if (u.hash) throw bad(`fragments are not allowed: "${u.hash.slice(1)}"`);
  const args = [
    ...(u.username ? ['-l', decodeURIComponent(u.username)] : []),
    ...(u.port ? ['-p', u.port] : []),
    '-o',
    'ConnectTimeout=30',
    '-T',
    '--',
    u.hostname.replace(/^\[(.*)\]$/, '$1'),
  ];
  const path = decodeURIComponent(u.pathname);
  const remote = path.replace(/\//g, '')
    ? ['docker', `--host=unix://${path}`, 'system', 'dial-stdio']
    : ['docker', 'system', 'dial-stdio'];
  return { kind: 'ssh', host: args[args.length - 1], args: [...args, remote.map(shellWord).join(' ')] };
}

function tcpTransport(host: string, tls: TlsMaterial | undefined): DockerTransport {
  let u: URL;
  try {
    u = new URL(host); // tcp: is no special scheme: port 80 or 443 stays as written
  } catch {
    throw new DockerEndpointError(`invalid bind address format: ${host}`);
  }
  const port = u.port ? Number(u.port) : DEFAULT_TCP_PORT;
  return { kind: 'tcp', host: u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', port, tls };
}

function transportFor(host: string, tls: TlsMaterial | undefined): DockerTransport {
  const scheme = host.includes('://') ? host.slice(0, host.indexOf('://')) : 'tcp';
  if (scheme === 'unix') {
    const socket = host.slice('unix://'.length) || '/var/run/docker.sock';
    return { kind: 'unix', socket };
  }
  if (scheme === 'tcp') return tcpTransport(host.includes('://') ? host : `tcp://${host}`, tls);
  if (scheme === 'ssh') return sshTransport(host);
  throw new DockerEndpointError(
    `the Docker engine at ${host} cannot be used: jobctl reaches an engine through unix://, tcp:// or ssh:// only`,
  );
}

/** Podman's Docker-compatible sockets, rootless first for a user who is not root. */
function podmanSockets(env: NodeJS.ProcessEnv, uid: number): string[] {
  const rootless = env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')] : [];
  const rootful = '/run/podman/podman.sock';
  return uid === 0 ? [rootful, ...rootless] : [...rootless, rootful];
}

/** What the resolution looks at on this machine (the tests give their own). */
export interface EndpointProbe {
  /** A socket this user can connect to (Docker's, for a user outside the docker group, is not). */
  usable: (path: string) => boolean;
  uid: number;
}

function usable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveDockerEndpoint(
  env: NodeJS.ProcessEnv,
  probe: EndpointProbe = { usable, uid: process.getuid?.() ?? 0 },
): DockerEndpoint {
  const configDir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  let host: string;
  let from: string;
  let tls: TlsMaterial | undefined;
  const current = env.DOCKER_HOST ? undefined : readJson(join(configDir, 'config.json'))?.currentContext;
  const name = env.DOCKER_HOST
    ? 'default'
    : env.DOCKER_CONTEXT || (typeof current === 'string' ? current : '') || 'default';
  if (name !== 'default') {
    ({ host, tls } = fromContext(configDir, name));
    from = `context "${name}"`;
  } else {
    tls = tlsFromEnv(env, configDir);
    host = env.DOCKER_HOST || (tls ? DEFAULT_TLS_HOST : DEFAULT_DOCKER_HOST);
    from = env.DOCKER_HOST ? 'DOCKER_HOST' : 'the default';
    if (host === DEFAULT_DOCKER_HOST && !probe.usable('/var/run/docker.sock')) {
      const podman = podmanSockets(env, probe.uid).find((s) => probe.usable(s));
      if (podman) {
        host = `unix://${podman}`;
        from = `Podman's socket: no Docker engine at /var/run/docker.sock for this user`;
      }
    }
  }
  try {
    return { host, from, transport: transportFor(host, tls) };
  } catch (e) {
    if (e instanceof DockerEndpointError) e.message = `${e.message} (from ${from})`;
    throw e;
  }
}

/** Whether the engine is on this machine: a socket here, or TCP or SSH to a loopback address. */
export function onThisMachine(t: DockerTransport): boolean {
  if (t.kind === 'unix') return true;
  return t.host === 'localhost' || t.host === '::1' || /^127\./.test(t.host);
}
