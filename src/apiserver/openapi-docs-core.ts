// What `explain` says of the core kinds besides a pod's spec: a Pod and its status, Events,
// ConfigMaps, Secrets, Namespaces and the Node, written for jobctl.
import type { Docs } from './openapi-docs.js';

const typeMeta = (kind: string) => ({
  apiVersion: 'The versioned schema of this object: `v1`.',
  kind: `The kind of this object: \`${kind}\`.`,
  metadata: "The object's name, labels and annotations, and the server's bookkeeping.",
});

const containerStatus = {
  doc: 'What became of a container of the pod: its state now, its state before its last restart, and the image it runs.',
  fields: {
    name: 'The name of the container, as in the pod spec.',
    state: 'What the container is doing now.',
    lastState: 'How its previous run ended, after a restart (`logs --previous` reads that run).',
    ready: 'Whether the container is ready: running, for jobctl, which runs no readiness probes.',
    restartCount: 'How many times the container has been restarted in place (restartPolicy OnFailure).',
    image: 'The image it runs, as the pod spec names it.',
    imageID: "The engine's id of that image.",
    containerID: "The engine's id of the container, as `docker://ID` (or `podman://ID`).",
    started: 'Whether the container has started and is running.',
  },
  required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
};

export const CORE_DOCS: Docs = {
  Pod: {
    doc: 'A pod: one or more containers run together on the node, sharing a network and volumes. A Job creates its pods from its template; jobctl runs each as containers on the local engine.',
    fields: {
      ...typeMeta('Pod'),
      spec: 'What the pod runs.',
      status:
        "What the pod is doing: its phase, conditions and each container's state. Written by the kubelet; read-only.",
    },
  },
  PodStatus: {
    doc: 'What a pod is doing, as its kubelet last saw it.',
    fields: {
      phase:
        '`Pending`: accepted, not all containers started (waiting for scheduling, an image, init containers). `Running`: bound, its containers started, at least one running. `Succeeded`: all containers ended with success and none will restart. `Failed`: all ended and at least one failed. `Unknown`: its state cannot be read.',
      conditions:
        '`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`, and `DisruptionTarget` for a pod being deleted or evicted.',
      reason: 'A one-word reason for the phase, such as `DeadlineExceeded` or `Evicted`.',
      message: 'A human-readable explanation of the phase.',
      startTime: 'When the kubelet accepted the pod, before its images were pulled.',
      hostIP: 'The address of the node the pod runs on.',
      hostIPs: "The node's addresses.",
      podIP: "The pod's address: 127.0.0.1, since a pod's network here is loopback only.",
      podIPs: "The pod's addresses.",
      containerStatuses: 'The state of each app container.',
      initContainerStatuses: 'The state of each init container.',
    },
    enums: { phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] },
  },
  PodCondition: {
    doc: 'One condition of a pod.',
    fields: {
      type: 'The condition: `PodScheduled`, `Initialized`, `ContainersReady`, `Ready` or `DisruptionTarget`.',
      status: '`True`, `False` or `Unknown`.',
      reason: 'A one-word, CamelCase reason, such as `Unschedulable` or `PodCompleted`.',
      message: 'A human-readable explanation.',
      lastProbeTime: 'When the condition was last checked.',
      lastTransitionTime: 'When its status last changed.',
    },
    required: ['type', 'status'],
  },
  ContainerStatus: containerStatus,
  ContainerState: {
    doc: 'The state of a container: exactly one of waiting, running and terminated. Waiting is the default.',
    fields: {
      waiting: 'Not running: being created, pulling its image, or backing off before a restart.',
      running: 'Running.',
      terminated: 'Ended, with its exit code.',
    },
  },
  ContainerStateWaiting: {
    doc: 'A container not yet running, or waiting to run again.',
    fields: {
      reason:
        'Why: `ContainerCreating`, `PodInitializing`, `ErrImagePull`, `ImagePullBackOff`, `CrashLoopBackOff`, `CreateContainerConfigError`...',
      message: 'A human-readable explanation.',
    },
  },
  ContainerStateRunning: {
    doc: 'A running container.',
    fields: { startedAt: 'When it started (or was last restarted).' },
  },
  ContainerStateTerminated: {
    doc: 'A container that has ended.',
    fields: {
      exitCode: 'Its exit code: 0 for success; 128+N after signal N (137 after SIGKILL).',
      signal: 'The signal that ended it, if one did.',
      reason: '`Completed` (exit 0), `Error`, `OOMKilled` (over its memory limit), `DeadlineExceeded`...',
      message: 'Its termination message (see terminationMessagePath).',
      startedAt: 'When it started.',
      finishedAt: 'When it ended.',
      containerID: "The engine's id of the container, as `docker://ID`.",
    },
    required: ['exitCode'],
  },
  HostIP: { doc: "An address of the pod's node.", fields: { ip: 'The address.' }, required: ['ip'] },
  PodIP: { doc: 'An address of the pod.', fields: { ip: 'The address.' }, required: ['ip'] },
  Event: {
    doc: 'A report of something that happened to an object: a pod created or failed, a Job completed, a container pulled or killed. Events expire after an hour; similar ones are counted and combined as the Kubernetes event recorder does. `jobctl events` and `describe` show them.',
    fields: {
      ...typeMeta('Event'),
      involvedObject: 'The object the event is about.',
      reason: 'A short, CamelCase reason, such as `SuccessfulCreate`, `BackoffLimitExceeded`, `Pulled`, `Started`.',
      message: 'What happened, for a person to read.',
      source: 'The component that reported it.',
      firstTimestamp: 'When it was first reported.',
      lastTimestamp: 'When it was last reported (count times in all).',
      count: 'How many times it has happened.',
      type: '`Normal` or `Warning`.',
      eventTime: 'When it first happened, to the microsecond (events written with the newer events API).',
      reportingComponent: 'The component that reported it, such as `job-controller` or `kubelet`.',
      reportingInstance: 'The instance of that component, such as the node name.',
    },
    required: ['metadata', 'involvedObject'],
  },
  ObjectReference: {
    doc: 'Points at an object.',
    fields: {
      kind: 'Its kind.',
      namespace: 'Its namespace.',
      name: 'Its name.',
      uid: 'Its uid.',
      apiVersion: 'Its API version.',
      resourceVersion: 'The version of it the reference was made from.',
      fieldPath: 'A part of it, such as `spec.containers{main}` for one container of a pod.',
    },
  },
  EventSource: {
    doc: 'The component that reported an event.',
    fields: { component: 'The component, such as `kubelet`.', host: 'The node it runs on.' },
  },
  ConfigMap: {
    doc: 'Configuration data as key and value pairs, for pods to read as environment variables or files.',
    fields: {
      ...typeMeta('ConfigMap'),
      data: 'The keys and their UTF-8 values.',
      binaryData: 'Keys with binary values, base64-encoded; no key may be in data too.',
      immutable: 'True forbids changing data and binaryData; only deleting the ConfigMap.',
    },
  },
  Secret: {
    doc: 'Sensitive data as key and value pairs, for pods to read as environment variables or files. jobctl keeps it in its store as it is sent, as a cluster does without encryption at rest.',
    fields: {
      ...typeMeta('Secret'),
      type: 'What the data is for, such as `Opaque` (the default) or `kubernetes.io/basic-auth`.',
      data: 'The keys and their values, base64-encoded.',
      stringData: 'Keys with plain-text values, written into data when the Secret is stored; never read back.',
      immutable: 'True forbids changing data; only deleting the Secret.',
    },
  },
  Namespace: {
    doc: 'A namespace holds objects of the namespaced kinds (Jobs, pods, events, ConfigMaps, Secrets); deleting it deletes them.',
    fields: {
      ...typeMeta('Namespace'),
      spec: 'What the namespace needs before it is gone.',
      status: 'Whether the namespace is active or being deleted.',
    },
  },
  NamespaceSpec: {
    doc: 'What a namespace needs before it is gone.',
    fields: { finalizers: 'Tasks to be done before the namespace is removed; `kubernetes` deletes what it holds.' },
  },
  NamespaceStatus: {
    doc: 'The state of a namespace.',
    fields: {
      phase: '`Active`, or `Terminating` while what it holds is deleted.',
      conditions: 'What is holding a terminating namespace up.',
    },
    enums: { phase: ['Active', 'Terminating'] },
  },
  NamespaceCondition: {
    doc: 'One condition of a namespace.',
    fields: {
      type: 'The condition, such as `NamespaceDeletionContentFailure`.',
      status: '`True`, `False` or `Unknown`.',
      reason: 'A one-word reason.',
      message: 'A human-readable explanation.',
      lastTransitionTime: 'When its status last changed.',
    },
    required: ['type', 'status'],
  },
  Node: {
    doc: 'The machine, as a node: the one place pods run, with what it offers them (its allocatable cpu, memory and pods) and what may land there (its labels and taints). jobctl reads it from the engine.',
    fields: {
      ...typeMeta('Node'),
      spec: 'Its taints and whether it is cordoned.',
      status: 'What it has and how it is. Written by jobctl from the engine; read-only.',
    },
  },
  NodeSpec: {
    doc: 'How pods may land on the node.',
    fields: {
      taints: 'Taints that keep pods away unless they tolerate them (`jobctl taint node`).',
      unschedulable: 'True cordons the node: new pods stay Pending; running ones go on.',
      podCIDR: "The range pod addresses are given from. A pod's network here is loopback only.",
      podCIDRs: 'The ranges pod addresses are given from.',
    },
  },
  Taint: {
    doc: 'A taint: pods that do not tolerate it are kept off the node.',
    fields: {
      key: 'The taint key.',
      value: 'The taint value.',
      effect:
        '`NoSchedule`: pods that do not tolerate it are not placed. `PreferNoSchedule`: avoided if possible. `NoExecute`: not placed, and a cluster evicts those running.',
      timeAdded: 'When a NoExecute taint was added.',
    },
    required: ['key', 'effect'],
    enums: { effect: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] },
  },
  NodeStatus: {
    doc: 'What the node has and how it is.',
    fields: {
      capacity: "The node's resources: cpu and memory from the engine, and the number of pods.",
      allocatable:
        'What of capacity pods may request: the scheduler admits a pod only while the requests of the pods on the node fit.',
      conditions: '`Ready` (the engine answers), `MemoryPressure`, `DiskPressure`, `PIDPressure`.',
      addresses: "The node's addresses and host name.",
      daemonEndpoints: "Where the node's kubelet listens.",
      nodeInfo: 'What the node runs: kernel, operating system, container engine and version.',
    },
  },
  NodeCondition: {
    doc: 'One condition of the node.',
    fields: {
      type: '`Ready`, `MemoryPressure`, `DiskPressure` or `PIDPressure`.',
      status: '`True`, `False` or `Unknown`.',
      lastHeartbeatTime: 'When it was last confirmed.',
      lastTransitionTime: 'When its status last changed.',
      reason: 'A one-word reason, such as `KubeletReady`, or `KubeletNotReady` while the engine does not answer.',
      message: 'A human-readable explanation.',
    },
    required: ['type', 'status'],
  },
  NodeAddress: {
    doc: 'An address of the node.',
    fields: { type: '`Hostname`, `InternalIP`...', address: 'The address.' },
    required: ['type', 'address'],
  },
  NodeDaemonEndpoints: {
    doc: "Where the node's daemons listen.",
    fields: { kubeletEndpoint: "The kubelet's port." },
  },
  DaemonEndpoint: { doc: 'A port.', fields: { Port: 'The port number.' }, required: ['Port'] },
  NodeSystemInfo: {
    doc: 'What the node runs.',
    fields: {
      machineID: "The machine's id.",
      systemUUID: "The machine's UUID.",
      bootID: 'The id of its current boot.',
      kernelVersion: 'The kernel version, as `uname -r` says.',
      osImage: 'The operating system, as the engine reports it.',
      containerRuntimeVersion: 'The engine and its version, such as `docker://20.10.24`.',
      kubeletVersion: "The version of the kubelet: jobctl's.",
      kubeProxyVersion: 'Deprecated; empty.',
      operatingSystem: 'The operating system family: `linux`.',
      architecture: 'The architecture: `amd64`, `arm64`...',
    },
    required: [
      'machineID',
      'systemUUID',
      'bootID',
      'kernelVersion',
      'osImage',
      'containerRuntimeVersion',
      'kubeletVersion',
      'kubeProxyVersion',
      'operatingSystem',
      'architecture',
    ],
  },
};
