// Which Docker engine to use: the one the docker CLI would use. DOCKER_HOST first; else the
// context named by DOCKER_CONTEXT, else the current context of the docker CLI's config.json
// (DOCKER_CONFIG, else ~/.docker), read from its contexts store; else the default socket. An
// endpoint jobctl cannot use is an error naming it, never a silent fall back to another engine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export interface DockerEndpoint {
  /** The engine's unix socket. */
  socket: string;
  /** `unix:///run/user/1000/docker.sock` */
  host: string;
  /** Where the choice came from: `DOCKER_HOST`, `context "colima"`, `the default`. */
  from: string;
}

export class DockerEndpointError extends Error {}

function readJson(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DockerEndpointError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new DockerEndpointError(`${path}: ${(e as Error).message}`);
  }
}

/** The host of a named context, from the docker CLI's contexts store. */
function contextHost(configDir: string, name: string): string {
  const meta = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json');
  const m = readJson(meta);
  if (!m) throw new DockerEndpointError(`context "${name}": context not found: ${meta} does not exist`);
  const docker = (m.Endpoints as Record<string, { Host?: string }> | undefined)?.docker;
  if (!docker?.Host) throw new DockerEndpointError(`context "${name}" has no docker endpoint (${meta})`);
  return docker.Host;
}

export function resolveDockerEndpoint(env: NodeJS.ProcessEnv): DockerEndpoint {
  let host: string;
  let from: string;
  if (env.DOCKER_HOST) {
    host = env.DOCKER_HOST;
    from = 'DOCKER_HOST';
  } else {
    const configDir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
    const current = readJson(join(configDir, 'config.json'))?.currentContext;
    const name = env.DOCKER_CONTEXT || (typeof current === 'string' ? current : '') || 'default';
    if (name === 'default') {
      host = DEFAULT_DOCKER_HOST;
      from = 'the default';
    } else {
      host = contextHost(configDir, name);
      from = `context "${name}"`;
    }
  }
  if (host.startsWith('unix://') && host.length > 'unix://'.length)
    return { socket: host.slice('unix://'.length), host, from };
  throw new DockerEndpointError(
    `the Docker engine at ${host} (from ${from}) cannot be used: jobctl reaches an engine through a unix:// socket only, for now`,
  );
}
