// The columns of each kind's table, one definition for the server's Tables (what kubectl prints)
// and jobctl's own printers: Kubernetes' printers (pkg/printers/internalversion) for the kinds
// jobctl serves; reference §7.2-7.4 and §4.3. Priority 1 columns are `-o wide`'s.
import { humanDuration } from './durations.js';
import { readyCondition } from './scheduling.js';
import type { ApiObject, ContainerStatus, Event, Job, Namespace, Node, Pod } from './types.js';

export interface Column<T = ApiObject> {
  /** As a Table names it ("Name", "Nominated Node"); printers show it upper-cased. */
  name: string;
  type: 'string' | 'integer';
  format?: 'name';
  description: string;
  priority: 0 | 1;
  cell(o: T, nowMs: number): string | number;
}

export const since = (t: string | undefined, nowMs: number): string =>
  t ? humanDuration(nowMs - Date.parse(t)) : '<unknown>';
const cond = (job: Job, type: string) => job.status?.conditions?.some((c) => c.type === type && c.status === 'True');

export function jobStatusText(job: Job): string {
  if (cond(job, 'Complete')) return 'Complete';
  if (cond(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (cond(job, 'Suspended')) return 'Suspended';
  if (cond(job, 'FailureTarget')) return 'FailureTarget';
  if (cond(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec.parallelism ?? 1;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(job: Job, nowMs: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : nowMs;
  return humanDuration(end - Date.parse(start));
}

export function selectorString(job: Job): string {
  const s = job.spec.selector;
  if (!s) return '<none>';
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** The STATUS column of `get pods` (reference §4.3). */
export function podStatusText(pod: Pod): string {
  const st = pod.status ?? {};
  let reason = st.reason || st.phase || 'Pending';
  const inits = st.initContainerStatuses ?? [];
  let initializing = false;
  const nInit = pod.spec.initContainers?.length ?? 0;
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i];
    const t = s.state.terminated;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t)
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (s.state.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${s.state.waiting.reason}`;
    else reason = `Init:${i}/${nInit}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const s = cs[i];
      if (s.state.waiting?.reason) reason = s.state.waiting.reason;
      else if (s.state.terminated?.reason) reason = s.state.terminated.reason;
      else if (s.state.terminated)
        reason = s.state.terminated.signal
          ? `Signal:${s.state.terminated.signal}`
          : `ExitCode:${s.state.terminated.exitCode}`;
      else if (s.ready && s.state.running) hasRunning = true;
      else if (s.state.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  // A pod the kubelet ended itself (DeadlineExceeded, ...) shows that reason, not its containers'.
  if ((st.phase === 'Failed' || st.phase === 'Succeeded') && st.reason) reason = st.reason;
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed') reason = 'Terminating';
  return reason;
}

export function podRestarts(pod: Pod, nowMs: number): string {
  const all: ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  let restarts = 0;
  let last: number | undefined;
  for (const s of all) {
    restarts += s.restartCount ?? 0;
    const f = s.lastState?.terminated?.finishedAt;
    if (f && (last === undefined || Date.parse(f) > last)) last = Date.parse(f);
  }
  return restarts > 0 && last !== undefined ? `${restarts} (${humanDuration(nowMs - last)} ago)` : String(restarts);
}

const age = (o: ApiObject, nowMs: number) => since(o.metadata.creationTimestamp, nowMs);
const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
  cell: (o) => o.metadata.name ?? '',
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
  cell: age,
};
const col = <T>(name: string, description: string, cell: Column<T>['cell'], priority: 0 | 1 = 0): Column<T> => ({
  name,
  type: 'string',
  description,
  priority,
  cell,
});
const dataCount = (o: ApiObject) => {
  const x = o as { data?: object; binaryData?: object };
  return Object.keys(x.data ?? {}).length + Object.keys(x.binaryData ?? {}).length;
};

export const JOB_COLUMNS: Column<Job>[] = [
  NAME,
  col<Job>('Status', 'Status of the job.', jobStatusText),
  col<Job>(
    'Completions',
    'The desired number of successfully finished pods the job should be run with.',
    jobCompletions,
  ),
  col<Job>('Duration', 'Time required to complete the job.', jobDuration),
  AGE,
  col<Job>(
    'Containers',
    'Names of each container in the template.',
    (j) => j.spec.template.spec.containers.map((c) => c.name).join(','),
    1,
  ),
  col<Job>(
    'Images',
    'Images referenced by each container in the template.',
    (j) => j.spec.template.spec.containers.map((c) => c.image ?? '').join(','),
    1,
  ),
  col<Job>('Selector', 'A label query over pods that should match the pod count.', selectorString, 1),
];

export const POD_COLUMNS: Column<Pod>[] = [
  NAME,
  col<Pod>(
    'Ready',
    'The aggregate readiness state of this pod for accepting traffic.',
    (p) => `${(p.status?.containerStatuses ?? []).filter((s) => s.ready).length}/${p.spec.containers.length}`,
  ),
  col<Pod>('Status', 'The aggregate status of the containers in this pod.', podStatusText),
  col<Pod>(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    podRestarts,
  ),
  AGE,
  col<Pod>('IP', 'IP address allocated to the pod.', (p) => p.status?.podIP ?? '<none>', 1),
  col<Pod>('Node', 'Name of the node assigned to the pod.', (p) => p.spec.nodeName ?? '<none>', 1),
  col<Pod>('Nominated Node', 'Name of the node the pod is nominated to run on.', () => '<none>', 1),
  col<Pod>('Readiness Gates', 'Pod readiness gates.', () => '<none>', 1),
];

export const EVENT_COLUMNS: Column<Event>[] = [
  col<Event>('Last Seen', 'The last time this event was seen.', (e, now) => since(e.lastTimestamp, now)),
  col<Event>('Type', 'The type of the event.', (e) => e.type),
  col<Event>('Reason', 'The reason of the event.', (e) => e.reason),
  col<Event>(
    'Object',
    'The object the event is about.',
    (e) => `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
  ),
  col<Event>('Subobject', 'The subobject (field path) the event is about.', (e) => e.involvedObject.fieldPath ?? '', 1),
  col<Event>('Source', 'The source of the event.', (e) => e.source?.component ?? '', 1),
  col<Event>('Message', 'The message of the event.', (e) => e.message),
  col<Event>('First Seen', 'The first time this event was seen.', (e, now) => since(e.firstTimestamp, now), 1),
  {
    name: 'Count',
    type: 'integer',
    description: 'How many times this event was seen.',
    priority: 1,
    cell: (e) => e.count,
  },
  col<Event>('Name', 'The name of the event.', (e) => e.metadata.name ?? '', 1),
];

export const CONFIGMAP_COLUMNS: Column[] = [
  NAME,
  { name: 'Data', type: 'integer', description: 'Number of data entries.', priority: 0, cell: dataCount },
  AGE,
];

export const SECRET_COLUMNS: Column[] = [
  NAME,
  col('Type', 'The type of the secret.', (o) => (o as { type?: string }).type ?? 'Opaque'),
  { name: 'Data', type: 'integer', description: 'Number of data entries.', priority: 0, cell: dataCount },
  AGE,
];

export const NAMESPACE_COLUMNS: Column[] = [
  NAME,
  col('Status', 'The status of the namespace.', (o) => (o as Namespace).status?.phase ?? ''),
  AGE,
];

/** Ready or NotReady, and SchedulingDisabled when cordoned, as kubectl shows a node. */
export function nodeStatusText(n: Node): string {
  const ready = readyCondition(n);
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

const ROLE_LABEL = 'node-role.kubernetes.io/';

/** The roles its `node-role.kubernetes.io/ROLE` labels give a node, as kubectl lists them. */
export const nodeRoles = (n: Node): string =>
  Object.keys(n.metadata.labels ?? {})
    .filter((k) => k.startsWith(ROLE_LABEL))
    .map((k) => k.slice(ROLE_LABEL.length))
    .sort()
    .join(',') || '<none>';
const address = (n: Node, type: string) => n.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

export const NODE_COLUMNS: Column<Node>[] = [
  NAME as Column<Node>,
  col<Node>('Status', 'The status of the node', nodeStatusText),
  col<Node>('Roles', 'The roles of the node', nodeRoles),
  AGE as Column<Node>,
  col<Node>('Version', 'Kubelet Version reported by the node.', (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
  col<Node>('Internal-IP', 'List of internal IPs for the node.', (n) => address(n, 'InternalIP'), 1),
  col<Node>('External-IP', 'List of external IPs for the node.', (n) => address(n, 'ExternalIP'), 1),
  col<Node>('OS-Image', 'OS image reported by the node.', (n) => n.status?.nodeInfo?.osImage ?? '', 1),
  col<Node>(
    'Kernel-Version',
    'Kernel version reported by the node.',
    (n) => n.status?.nodeInfo?.kernelVersion ?? '',
    1,
  ),
  col<Node>(
    'Container-Runtime',
    'Container runtime and version reported by the node.',
    (n) => n.status?.nodeInfo?.containerRuntimeVersion ?? '',
    1,
  ),
];

const BY_KIND: Record<string, Column<never>[]> = {
  Namespace: NAMESPACE_COLUMNS,
  Node: NODE_COLUMNS,
  Job: JOB_COLUMNS,
  Pod: POD_COLUMNS,
  Event: EVENT_COLUMNS,
  ConfigMap: CONFIGMAP_COLUMNS,
  Secret: SECRET_COLUMNS,
};

/** A kind's columns, or undefined for one jobctl does not serve. */
export const columnsOf = (kind: string): Column<ApiObject>[] | undefined =>
  BY_KIND[kind] as Column<ApiObject>[] | undefined;
