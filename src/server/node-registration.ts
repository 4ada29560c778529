// The kubelet's registration of this machine as the cluster's one node: at every start, from what
// the engine reports (until it answers, what it reported last time or what the operating system
// does), keeping what users set on it (labels, taints); a node left from another host name goes.
// Then its heartbeat: the node is Ready while the engine answers, and NotReady, saying why, while
// it does not (checked every 10 s, as the kubelet's runtime status check; written on a change only).
import { ENGINE_ENDPOINT_ANNOTATION, parseQuantity, type Node } from '../api/index.js';
import { hostInfo, type ContainerRuntime, type EngineInfo } from '../runtime/cri.js';
import { nodeObject, type NodeSettings } from '../runtime/node.js';
import type { ObjectStore } from '../store/index.js';

export const HEARTBEAT_MS = 10_000;

export interface NodeRegistration {
  /** The engine's first report, once written (undefined if it did not answer). */
  first: Promise<EngineInfo | undefined>;
  /** Ends the heartbeat; resolves when a check under way has written what it found. */
  stop(): Promise<void>;
}

/**
 * Registers the node without holding up the start: a first start writes what the operating
 * system reports at once (pods are scheduled from the first moment), a later one keeps the node
 * it stored; then the engine's own report replaces it.
 */
export function registerNode(
  store: ObjectStore,
  runtime: ContainerRuntime,
  name: string,
  settings: NodeSettings,
  now: () => Date,
  heartbeatMs = HEARTBEAT_MS,
): NodeRegistration {
  let stopped = false;
  let down: string | undefined;
  const write = (info: EngineInfo) =>
    !stopped &&
    store.transact(() => {
      for (const other of store.list<Node>('Node'))
        if (other.metadata.name !== name) store.delete('Node', '', other.metadata.name ?? '');
      const existing = store.get<Node>('Node', '', name);
      const node = nodeObject(name, info, { ...settings, runtimeDown: down }, now(), existing);
      if (existing) store.update(node);
      else store.create(node);
    });
  // What the engine reported last time, if it is the same engine.
  const stored = () => {
    const node = store.get<Node>('Node', '', name);
    const same = node?.metadata.annotations?.[ENGINE_ENDPOINT_ANNOTATION] === settings.endpoint;
    return (node && same && lastReported(node)) || hostInfo('', `${runtime.name}://unknown`);
  };
  write(stored());
  /** Asks the engine; writes the node when its answer changes whether it is ready. */
  const check = async (): Promise<EngineInfo | undefined> => {
    try {
      const info = await runtime.info();
      const changed = down !== undefined || !reported;
      down = undefined;
      reported = true;
      if (changed) write(info);
      return info;
    } catch (e) {
      const was = down;
      down = (e as Error).message;
      if (was === undefined) write(stored());
      return undefined;
    }
  };
  let reported = false;
  const first = check();
  let running: Promise<unknown> = first;
  const timer = setInterval(() => {
    // While the engine answers, a ping is enough; the full report again once it comes back.
    running = running.then(() =>
      down === undefined
        ? runtime.ping().then(
            () => undefined,
            () => check(),
          )
        : check(),
    );
  }, heartbeatMs);
  timer.unref();
  return {
    first,
    async stop() {
      clearInterval(timer);
      await running.catch(() => undefined);
      stopped = true;
    },
  };
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
