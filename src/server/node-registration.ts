// The kubelet's registration of this machine as the cluster's one node: at every start, from what
// the engine reports (or, with no engine reachable, what the operating system does), keeping what
// users set on it (labels, taints); a node left from another host name goes.
import { cpus, machine, release, totalmem } from 'node:os';
import type { Node } from '../api/index.js';
import { goArch, type ContainerRuntime, type EngineInfo } from '../runtime/cri.js';
import { nodeObject, type NodeSettings } from '../runtime/node.js';
import type { ObjectStore } from '../store/index.js';

export async function registerNode(
  store: ObjectStore,
  runtime: ContainerRuntime,
  name: string,
  settings: NodeSettings,
  now: Date,
): Promise<void> {
  const info: EngineInfo = await runtime.info().catch(() => ({
    cpus: cpus().length,
    memoryBytes: totalmem(),
    operatingSystem: 'linux',
    architecture: goArch(machine()),
    kernelVersion: release(),
    osImage: '',
    runtimeVersion: `${runtime.name}://unknown`,
  }));
  store.transact(() => {
    for (const other of store.list<Node>('Node'))
      if (other.metadata.name !== name) store.delete('Node', '', other.metadata.name ?? '');
    const existing = store.get<Node>('Node', '', name);
    const node = nodeObject(name, info, settings, now, existing);
    if (existing) store.update(node);
    else store.create(node);
  });
}
