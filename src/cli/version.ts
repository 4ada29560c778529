// `jobctl version`: kubectl's client and server lines, and, for the local server, the engine its
// node runs on (read from the node: its runtime version and endpoint annotation). An engine that
// does not answer is an error naming it, as `docker version` ends.
import { ENGINE_ENDPOINT_ANNOTATION, readyCondition, type Node } from '../api/index.js';
import { connect } from './context.js';
import { CliError, type Io } from './io.js';

export async function runVersion(version: string, io: Io): Promise<void> {
  io.out(`Client Version: v${version}\n`);
  const client = await connect(io);
  const server = await client.get<{ gitVersion: string }>('/version');
  io.out(`Server Version: ${server.gitVersion}\n`);
  if (!client.endpoint.local) return;
  // A server just started on another engine has not heard from it yet: a moment for its report.
  let items: Node[] = [];
  for (let tries = 0; tries < 50; tries++) {
    ({ items } = await client.get<{ items: Node[] }>('/api/v1/nodes'));
    const waiting = (n: Node) =>
      n.status?.nodeInfo?.containerRuntimeVersion?.endsWith('://unknown') && readyCondition(n)?.status === 'True';
    if (!items.some(waiting)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const node of items) {
    const endpoint = node.metadata.annotations?.[ENGINE_ENDPOINT_ANNOTATION] ?? 'an unknown endpoint';
    const ready = readyCondition(node);
    if (ready?.status !== 'True') {
      io.out(`Engine: not answering at ${endpoint}\n`);
      throw new CliError(ready?.message ?? 'container runtime is down');
    }
    const [name, v] = (node.status?.nodeInfo?.containerRuntimeVersion ?? 'unknown://').split('://');
    io.out(`Engine: ${name} ${v} at ${endpoint}\n`);
  }
}
