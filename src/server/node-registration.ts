// The kubelet's registration of this machine as the cluster's one node: at every start, from what
// the engine reports (until it answers, what it reported last time or what the operating system
// does), keeping what users set on it (labels, taints); a node left from another host name goes.
import { parseQuantity, type Node } from '../api/index.js';
import { hostInfo, type ContainerRuntime, type EngineInfo } from '../runtime/cri.js';
import { nodeObject, type NodeSettings } from '../runtime/node.js';
import type { ObjectStore } from '../store/index.js';

/**
 * Registers the node without holding up the start: a first start writes what the operating
 * system reports at once (pods are scheduled from the first moment), a later one keeps the node
 * it stored; then the engine's own report replaces it. Resolves with that report once written.
 */
export function registerNode(
  store: ObjectStore,
  runtime: ContainerRuntime,
  name: string,
  settings: NodeSettings,
  now: () => Date,
): Promise<EngineInfo | undefined> {
  const write = (info: EngineInfo) =>
    store.transact(() => {
      for (const other of store.list<Node>('Node'))
        if (other.metadata.name !== name) store.delete('Node', '', other.metadata.name ?? '');
      const existing = store.get<Node>('Node', '', name);
      const node = nodeObject(name, info, settings, now(), existing);
      if (existing) store.update(node);
      else store.create(node);
    });
  const stored = store.get<Node>('Node', '', name);
  write((stored && lastReported(stored)) ?? hostInfo('', `${runtime.name}://unknown`));
  return runtime.info().then(
    (info) => (write(info), info),
    () => undefined,
  );
}

/** What the engine reported when the node was last registered, read back from it. */
function lastReported(node: Node): EngineInfo | undefined {
  const cap = node.status?.capacity;
  const info = node.status?.nodeInfo;
  if (!cap?.cpu || !cap.memory || !info) return undefined;
  return {
    cpus: Number(cap.cpu),
    memoryBytes: parseQuantity(cap.memory),
    operatingSystem: info.operatingSystem,
    architecture: info.architecture,
    kernelVersion: info.kernelVersion,
    osImage: info.osImage,
    runtimeVersion: info.containerRuntimeVersion,
    storageBytes: cap['ephemeral-storage'] ? parseQuantity(cap['ephemeral-storage']) : undefined,
  };
}
