// `jobctl version`: kubectl's client and server lines, and, for the local server, the engine its
// node runs on (read from the node: its runtime version and endpoint annotation). An engine that
// does not answer is an error naming it, as `docker version` ends.
import { ENGINE_ENDPOINT_ANNOTATION, goPlatform, readyCondition, type Node } from '../api/index.js';
import type { ApiClient } from '../client/index.js';
import { toYaml } from '../print/output.js';
import { connect } from './context.js';
import { CliError, ExitError, type Io } from './io.js';

export interface VersionOptions {
  output?: string;
  client?: boolean;
}

interface Engine {
  runtime?: string;
  version?: string;
  endpoint: string;
  ready: boolean;
  message?: string;
}

/** `jobctl version [--client] [-o json|yaml]`: kubectl's shape, with the engine besides. */
export async function runVersion(version: string, opts: VersionOptions, io: Io): Promise<void> {
  const format = opts.output ?? '';
  if (!['', 'json', 'yaml'].includes(format)) throw new CliError("--output must be 'yaml' or 'json'");
  const [major = '', minor = ''] = version.split('.');
  const clientVersion = { major, minor, gitVersion: `v${version}`, platform: goPlatform() };
  if (!format) io.out(`Client Version: v${version}\n`);
  if (opts.client) {
    if (format) await print({ clientVersion }, format, io);
    return;
  }
  const client = await connect(io);
  const serverVersion = await client.get<{ gitVersion: string }>('/version');
  const engines = client.endpoint.local ? await enginesOf(client) : [];
  if (format)
    await print({ clientVersion, serverVersion, ...(engines.length ? { engine: engines[0] } : {}) }, format, io);
  else {
    io.out(`Server Version: ${serverVersion.gitVersion}\n`);
    for (const e of engines)
      io.out(
        e.ready ? `Engine: ${e.runtime} ${e.version} at ${e.endpoint}\n` : `Engine: not answering at ${e.endpoint}\n`,
      );
  }
  const down = engines.find((e) => !e.ready);
  if (down) {
    if (format) {
      io.err(`error: ${down.message}\n`);
      throw new ExitError(1);
    }
    throw new CliError(down.message ?? 'container runtime is down');
  }
}

async function print(value: unknown, format: string, io: Io): Promise<void> {
  io.out(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : await toYaml(value));
}

/** The engine each node runs on, as the node reports it. */
async function enginesOf(client: ApiClient): Promise<Engine[]> {
  // A server just started on another engine has not heard from it yet: a moment for its report.
  let items: Node[] = [];
  for (let tries = 0; tries < 50; tries++) {
    ({ items } = await client.get<{ items: Node[] }>('/api/v1/nodes'));
    const waiting = (n: Node) =>
      n.status?.nodeInfo?.containerRuntimeVersion?.endsWith('://unknown') && readyCondition(n)?.status === 'True';
    if (!items.some(waiting)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return items.map((node) => {
    const endpoint = node.metadata.annotations?.[ENGINE_ENDPOINT_ANNOTATION] ?? 'an unknown endpoint';
    const ready = readyCondition(node);
    if (ready?.status !== 'True')
      return { endpoint, ready: false, message: ready?.message ?? 'container runtime is down' };
    const [runtime, version] = (node.status?.nodeInfo?.containerRuntimeVersion ?? 'unknown://').split('://');
    return { runtime, version, endpoint, ready: true };
  });
}
