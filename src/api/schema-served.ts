// The shapes of the kinds the server writes and a client only reads or labels (Pod, Event,
// Node), for the OpenAPI documents that `explain` reads. Manifests are not decoded with them.
import {
  bool,
  i32,
  list,
  objectMeta,
  podSpec,
  probedCondition,
  qty,
  str,
  strList,
  struct,
  time,
  type Schema,
} from './schema.js';

const typeMeta = { apiVersion: str, kind: str };

const containerState = struct('ContainerState', () => ({
  waiting: struct('ContainerStateWaiting', () => ({ reason: str, message: str })),
  running: struct('ContainerStateRunning', () => ({ startedAt: time })),
  terminated: struct('ContainerStateTerminated', () => ({
    exitCode: i32,
    signal: i32,
    reason: str,
    message: str,
    startedAt: time,
    finishedAt: time,
    containerID: str,
  })),
}));

const containerStatus = struct('ContainerStatus', () => ({
  name: str,
  state: containerState,
  lastState: containerState,
  ready: bool,
  restartCount: i32,
  image: str,
  imageID: str,
  containerID: str,
  started: bool,
}));

const ip = (name: string) => struct(name, () => ({ ip: str }));

const podStatus = struct('PodStatus', () => ({
  phase: str,
  conditions: list(probedCondition('PodCondition')),
  reason: str,
  message: str,
  startTime: time,
  hostIP: str,
  hostIPs: list(ip('HostIP')),
  podIP: str,
  podIPs: list(ip('PodIP')),
  containerStatuses: list(containerStatus),
  initContainerStatuses: list(containerStatus),
}));

export const podSchema = struct('Pod', () => ({ ...typeMeta, metadata: objectMeta, spec: podSpec, status: podStatus }));

export const eventSchema = struct('Event', () => ({
  ...typeMeta,
  metadata: objectMeta,
  involvedObject: struct('ObjectReference', () => ({
    kind: str,
    namespace: str,
    name: str,
    uid: str,
    apiVersion: str,
    resourceVersion: str,
    fieldPath: str,
  })),
  reason: str,
  message: str,
  source: struct('EventSource', () => ({ component: str, host: str })),
  firstTimestamp: time,
  lastTimestamp: time,
  count: i32,
  type: str,
  eventTime: { t: 'any', as: 'MicroTime' },
  reportingComponent: str,
  reportingInstance: str,
}));

const resourceList: Schema = { t: 'map', value: qty };

export const nodeSchema = struct('Node', () => ({
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('NodeSpec', () => ({
    taints: list(struct('Taint', () => ({ key: str, value: str, effect: str, timeAdded: time }))),
    unschedulable: bool,
    podCIDR: str,
    podCIDRs: strList,
  })),
  status: struct('NodeStatus', () => ({
    capacity: resourceList,
    allocatable: resourceList,
    conditions: list(
      struct('NodeCondition', () => ({
        type: str,
        status: str,
        lastHeartbeatTime: time,
        lastTransitionTime: time,
        reason: str,
        message: str,
      })),
    ),
    addresses: list(struct('NodeAddress', () => ({ type: str, address: str }))),
    daemonEndpoints: struct('NodeDaemonEndpoints', () => ({
      kubeletEndpoint: struct('DaemonEndpoint', () => ({ Port: i32 })),
    })),
    nodeInfo: struct('NodeSystemInfo', () => ({
      machineID: str,
      systemUUID: str,
      bootID: str,
      kernelVersion: str,
      osImage: str,
      containerRuntimeVersion: str,
      kubeletVersion: str,
      kubeProxyVersion: str,
      operatingSystem: str,
      architecture: str,
    })),
  })),
}));
