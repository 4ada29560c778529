// The node this machine is, as the kubelet registers it: the labels every node carries, capacity
// from the engine's own report, allocatable (capacity less the kubelet's default eviction
// thresholds, or lower where the user keeps room for their own work: JOBCTL_NODE_CPU,
// JOBCTL_NODE_MEMORY, JOBCTL_NODE_PODS), the kubelet's
// conditions and the machine's facts. What a user added (labels, taints) is kept.
import { readFileSync } from 'node:fs';
import {
  canonicalQuantity,
  ENGINE_ENDPOINT_ANNOTATION,
  formatAmount,
  newUid,
  toRfc3339,
  type Node,
  type NodeCondition,
} from '../api/index.js';
import type { EngineInfo } from './cri.js';

/** The kubelet's default `--max-pods`. */
export const DEFAULT_MAX_PODS = 110;
/** The kubelet's default hard eviction threshold for memory, 100Mi, in Ki. */
const MEMORY_EVICTION_KI = 100 * 1024;

export interface NodeSettings {
  /** Allocatable cpu, memory and pod count where lower than the machine's (quantities). */
  cpu?: string;
  memory?: string;
  pods?: number;
  kubeletVersion: string;
  /** Where the engine is (`unix:///var/run/docker.sock (the default)`): the node's annotation. */
  endpoint?: string;
  /** Why the engine does not answer, while it does not: the node is NotReady. */
  runtimeDown?: string;
}

const firstLine = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

const condition = (type: string, status: 'True' | 'False', reason: string, message: string, now: string) =>
  ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message }) satisfies NodeCondition;

export function nodeObject(name: string, info: EngineInfo, settings: NodeSettings, now: Date, existing?: Node): Node {
  const at = toRfc3339(now);
  const memoryKi = Math.floor(info.memoryBytes / 1024);
  // Byte counts as a BinarySI Quantity prints them (4Gi, 24684092Ki).
  const capacity: Record<string, string> = { cpu: String(info.cpus), memory: formatAmount('memory', info.memoryBytes) };
  const allocatable: Record<string, string> = {
    cpu: settings.cpu ? canonicalQuantity(settings.cpu) : capacity.cpu,
    // The kubelet's default hard eviction threshold (memory.available<100Mi) is not allocatable.
    memory: settings.memory
      ? canonicalQuantity(settings.memory)
      : canonicalQuantity(`${Math.max(0, memoryKi - MEMORY_EVICTION_KI)}Ki`),
  };
  if (info.storageBytes) {
    // ephemeral-storage less the default nodefs.available<10% threshold, as the kubelet reports it.
    capacity['ephemeral-storage'] = formatAmount('ephemeral-storage', info.storageBytes);
    allocatable['ephemeral-storage'] = String(info.storageBytes - Math.floor(info.storageBytes * 0.1));
  }
  capacity.pods = String(DEFAULT_MAX_PODS);
  allocatable.pods = String(settings.pods ?? DEFAULT_MAX_PODS);
  const transition = (c: NodeCondition) => {
    const old = existing?.status?.conditions?.find((x) => x.type === c.type && x.status === c.status);
    return old?.lastTransitionTime ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
  };
  const machineId = firstLine('/etc/machine-id');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      ...existing?.metadata,
      name,
      uid: existing?.metadata.uid ?? newUid(),
      creationTimestamp: existing?.metadata.creationTimestamp ?? at,
      labels: {
        ...existing?.metadata.labels,
        'beta.kubernetes.io/arch': info.architecture,
        'beta.kubernetes.io/os': info.operatingSystem,
        'kubernetes.io/arch': info.architecture,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': info.operatingSystem,
      },
      ...(settings.endpoint
        ? { annotations: { ...existing?.metadata.annotations, [ENGINE_ENDPOINT_ANNOTATION]: settings.endpoint } }
        : {}),
    },
    spec: { ...existing?.spec },
    status: {
      capacity,
      allocatable,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
          at,
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', at),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', at),
        settings.runtimeDown === undefined
          ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', at)
          : condition('Ready', 'False', 'KubeletNotReady', `container runtime is down: ${settings.runtimeDown}`, at),
      ].map(transition),
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        machineID: machineId,
        systemUUID: machineId,
        bootID: firstLine('/proc/sys/kernel/random/boot_id'),
        kernelVersion: info.kernelVersion,
        osImage: info.osImage,
        containerRuntimeVersion: info.runtimeVersion,
        kubeletVersion: settings.kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: info.operatingSystem,
        architecture: info.architecture,
      },
    },
  };
}
