// `describe job` and `describe pod` in kubectl's layout (reference §7.5).
import type {
  ConfigMap,
  Container,
  Namespace,
  ContainerState,
  ContainerStatus,
  Event,
  Job,
  Pod,
  PodTemplateSpec,
  Secret,
} from '../api/index.js';
import { humanDuration, selectorString } from '../api/index.js';
import { eventAge } from './rows.js';
import { tabwrite } from './tabwriter.js';

export const DESCRIBE_PADDING = 2;
const ANNOTATION_MAX = 140;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** RFC1123Z in local time: `Thu, 26 Mar 2026 13:38:09 +0000`. */
export function rfc1123z(iso: string): string {
  const d = new Date(iso);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
  return `${days[d.getDay()]}, ${pad(d.getDate())} ${months[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

export class Lines {
  readonly out: string[] = [];
  add(indent: number, label: string, value?: string): void {
    const pre = '  '.repeat(indent);
    this.out.push(value === undefined ? `${pre}${label}` : `${pre}${label}\t${value}`);
  }
  /** A label whose value spans lines: later lines start with an empty cell. */
  multi(indent: number, label: string, values: string[]): void {
    if (values.length === 0) return this.add(indent, label, '<none>');
    this.add(indent, label, values[0]);
    for (const v of values.slice(1)) this.out.push(`\t${v}`);
  }
  raw(line: string): void {
    this.out.push(line);
  }
}

export const sortedMap = (m: Record<string, string> | undefined, sep: string): string[] =>
  Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}${sep}${m![k]}`);

export function annotations(m: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const k of Object.keys(m ?? {}).sort()) {
    if (k === LAST_APPLIED) continue;
    const v = m![k];
    if (v.length > ANNOTATION_MAX || v.includes('\n'))
      out.push(`${k}:`, `  ${v.replace(/\n/g, ' ').slice(0, ANNOTATION_MAX)}...`);
    else out.push(`${k}: ${v}`);
  }
  return out;
}

/**
 * One container, its fields two levels in, as kubectl writes them; its name one level in for a
 * pod, one space further in a Job's pod template.
 */
function describeContainer(
  l: Lines,
  c: Container,
  where: 'pod' | 'template',
  status?: ContainerStatus,
  pod?: Pod,
): void {
  l.raw(`${where === 'pod' ? '  ' : '   '}${c.name}:`);
  const i = 2;
  if (status) l.add(i, 'Container ID:', status.containerID ?? '');
  l.add(i, 'Image:', c.image ?? '');
  if (status) l.add(i, 'Image ID:', status.imageID ?? '');
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
  l.add(i, ports.length > 1 ? 'Ports:' : 'Port:', ports.length ? ports.join(', ') : '<none>');
  l.add(
    i,
    ports.length > 1 ? 'Host Ports:' : 'Host Port:',
    ports.length ? ports.map(() => '0/TCP').join(', ') : '<none>',
  );
  if (c.command?.length) {
    l.add(i, 'Command:');
    for (const a of c.command) l.add(i + 1, a);
  }
  if (c.args?.length) {
    l.add(i, 'Args:');
    for (const a of c.args) l.add(i + 1, a);
  }
  if (status) {
    describeState(l, i, 'State:', status.state);
    if (status.lastState && Object.keys(status.lastState).length) describeState(l, i, 'Last State:', status.lastState);
    l.add(i, 'Ready:', status.ready ? 'True' : 'False');
    l.add(i, 'Restart Count:', String(status.restartCount));
  }
  for (const [label, m] of [
    ['Limits:', c.resources?.limits],
    ['Requests:', c.resources?.requests],
  ] as const) {
    if (m && Object.keys(m).length) {
      l.add(i, label);
      for (const k of Object.keys(m).sort()) l.add(i + 1, `${k}:`, m[k]);
    }
  }
  const env = (c.env ?? []).map((e) => {
    if (e.value !== undefined) return `${e.name}:\t${e.value}`;
    const fr = e.valueFrom?.fieldRef as { fieldPath?: string; apiVersion?: string } | undefined;
    if (fr) {
      const v = pod ? fieldValue(pod, fr.fieldPath ?? '') : '';
      return `${e.name}:\t${v} (${fr.apiVersion ?? 'v1'}:${fr.fieldPath})`;
    }
    const cm = e.valueFrom?.configMapKeyRef as { name?: string; key?: string; optional?: boolean } | undefined;
    if (cm)
      return `${e.name}:\t<set to the key '${cm.key}' of config map '${cm.name}'>\tOptional: ${cm.optional ?? false}`;
    const sk = e.valueFrom?.secretKeyRef as { name?: string; key?: string; optional?: boolean } | undefined;
    if (sk) return `${e.name}:\t<set to the key '${sk.key}' in secret '${sk.name}'>\tOptional: ${sk.optional ?? false}`;
    return `${e.name}:\t`;
  });
  if (env.length === 0) l.add(i, 'Environment:', '<none>');
  else {
    l.add(i, 'Environment:');
    for (const e of env) l.raw(`${'  '.repeat(i + 1)}${e}`);
  }
  const mounts = (c.volumeMounts ?? []).map((m) => `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})`);
  if (mounts.length === 0) l.add(i, 'Mounts:', '<none>');
  else {
    l.add(i, 'Mounts:');
    for (const m of mounts) l.add(i + 1, m);
  }
}

/**
 * An env var's downward-API value as kubectl 1.32's describe shows it: it converts the path as a
 * field selector first, which its scheme knows only for `metadata.name` and `metadata.namespace`;
 * any other path (labels, annotations, the uid, status fields) prints empty.
 */
function fieldValue(pod: Pod, path: string): string {
  if (path === 'metadata.name') return pod.metadata.name ?? '';
  if (path === 'metadata.namespace') return pod.metadata.namespace ?? '';
  return '';
}

function describeState(l: Lines, i: number, label: string, s: ContainerState): void {
  if (s.running) {
    l.add(i, label, 'Running');
    if (s.running.startedAt) l.add(i + 1, 'Started:', rfc1123z(s.running.startedAt));
  } else if (s.waiting) {
    l.add(i, label, 'Waiting');
    if (s.waiting.reason) l.add(i + 1, 'Reason:', s.waiting.reason);
    if (s.waiting.message) l.add(i + 1, 'Message:', s.waiting.message);
  } else if (s.terminated) {
    const t = s.terminated;
    l.add(i, label, 'Terminated');
    if (t.reason) l.add(i + 1, 'Reason:', t.reason);
    if (t.message) l.add(i + 1, 'Message:', t.message);
    l.add(i + 1, 'Exit Code:', String(t.exitCode));
    if (t.signal) l.add(i + 1, 'Signal:', String(t.signal));
    if (t.startedAt) l.add(i + 1, 'Started:', rfc1123z(t.startedAt));
    if (t.finishedAt) l.add(i + 1, 'Finished:', rfc1123z(t.finishedAt));
  } else {
    l.add(i, label, 'Waiting');
  }
}

function describeVolumes(l: Lines, indent: number, t: { spec: PodTemplateSpec['spec'] }): void {
  const vols = t.spec.volumes ?? [];
  if (vols.length === 0) return l.add(indent, 'Volumes:', '<none>');
  l.add(indent, 'Volumes:');
  for (const v of vols) {
    l.raw(`${'  '.repeat(indent)} ${v.name}:`);
    const [type] = Object.keys(v).filter((k) => k !== 'name');
    l.add(indent + 1, 'Type:', type ?? 'EmptyDir');
  }
}

export function describeEvents(events: Event[], nowMs: number): string {
  if (events.length === 0) return 'Events:  <none>';
  const sorted = [...events].sort(
    (a, b) =>
      (a.firstTimestamp ?? '').localeCompare(b.firstTimestamp ?? '') ||
      (a.metadata.resourceVersion ?? '').localeCompare(b.metadata.resourceVersion ?? '', undefined, { numeric: true }),
  );
  const rows = ['  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------'];
  for (const e of sorted) {
    // (kubectl 1.35 prefixes a container's events with its field path; 1.32 does not.)
    rows.push(`  ${e.type}\t${e.reason}\t${eventAge(e, nowMs)}\t${e.source.component}\t${e.message.trim()}`);
  }
  return 'Events:\n' + tabwrite(rows.join('\n'), 2, 0);
}

function describePodTemplate(l: Lines, t: PodTemplateSpec): void {
  l.add(0, 'Pod Template:');
  l.multi(1, 'Labels:', sortedMap(t.metadata?.labels, '='));
  const ann = annotations(t.metadata?.annotations);
  if (ann.length) l.multi(1, 'Annotations:', ann);
  const sa = t.spec.serviceAccountName;
  if (sa) l.add(1, 'Service Account:', String(sa));
  if (t.spec.initContainers?.length) {
    l.add(1, 'Init Containers:');
    for (const c of t.spec.initContainers) describeContainer(l, c, 'template');
  }
  l.add(1, 'Containers:');
  for (const c of t.spec.containers) describeContainer(l, c, 'template');
  describeVolumes(l, 1, t);
  if (t.spec.priorityClassName) l.add(1, 'Priority Class Name:', String(t.spec.priorityClassName));
  l.multi(1, 'Node-Selectors:', sortedMap(t.spec.nodeSelector as Record<string, string> | undefined, '='));
  l.add(1, 'Tolerations:', '<none>');
}

export function describeJob(job: Job, events: Event[], nowMs: number): string {
  const l = new Lines();
  const s = job.spec;
  const st = job.status ?? {};
  l.add(0, 'Name:', job.metadata.name ?? '');
  l.add(0, 'Namespace:', job.metadata.namespace ?? '');
  l.add(0, 'Selector:', selectorString(job));
  l.multi(0, 'Labels:', sortedMap(job.metadata.labels, '='));
  l.multi(0, 'Annotations:', annotations(job.metadata.annotations));
  if (s.parallelism !== undefined) l.add(0, 'Parallelism:', String(s.parallelism));
  l.add(0, 'Completions:', s.completions === undefined || s.completions === null ? '<unset>' : String(s.completions));
  l.add(0, 'Completion Mode:', s.completionMode ?? 'NonIndexed');
  l.add(0, 'Suspend:', String(s.suspend ?? false));
  l.add(0, 'Backoff Limit:', String(s.backoffLimit ?? 6));
  if (s.backoffLimitPerIndex !== undefined) l.add(0, 'Backoff Limit Per Index:', String(s.backoffLimitPerIndex));
  if (s.maxFailedIndexes !== undefined) l.add(0, 'Max Failed Indexes:', String(s.maxFailedIndexes));
  if (s.ttlSecondsAfterFinished !== undefined)
    l.add(0, 'TTL Seconds After Finished:', String(s.ttlSecondsAfterFinished));
  if (st.startTime) l.add(0, 'Start Time:', rfc1123z(st.startTime));
  if (st.completionTime) l.add(0, 'Completed At:', rfc1123z(st.completionTime));
  if (st.startTime && st.completionTime)
    l.add(0, 'Duration:', humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime)));
  if (s.activeDeadlineSeconds !== undefined) l.add(0, 'Active Deadline Seconds:', `${s.activeDeadlineSeconds}s`);
  const ready = st.ready === undefined ? '' : ` (${st.ready} Ready)`;
  l.add(
    0,
    'Pods Statuses:',
    `${st.active ?? 0} Active${ready} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed`,
  );
  if (s.completionMode === 'Indexed') {
    const ci = st.completedIndexes ?? '';
    let shown = ci || '<none>';
    const cut = ci.indexOf(',', 50);
    if (ci.length > 50 && cut >= 0) shown = ci.slice(0, cut) + '...';
    l.add(0, 'Completed Indexes:', shown);
    if (st.failedIndexes !== undefined) l.add(0, 'Failed Indexes:', st.failedIndexes || '<none>');
  }
  describePodTemplate(l, s.template);
  return tabwrite(l.out.join('\n'), DESCRIBE_PADDING) + '\n' + describeEvents(events, nowMs) + '\n';
}

export function describePod(pod: Pod, events: Event[], nowMs: number): string {
  const l = new Lines();
  const st = pod.status ?? {};
  l.add(0, 'Name:', pod.metadata.name ?? '');
  l.add(0, 'Namespace:', pod.metadata.namespace ?? '');
  if (pod.spec.priority !== undefined) l.add(0, 'Priority:', String(pod.spec.priority));
  if (pod.spec.priorityClassName) l.add(0, 'Priority Class Name:', String(pod.spec.priorityClassName));
  if (pod.spec.serviceAccountName) l.add(0, 'Service Account:', String(pod.spec.serviceAccountName));
  l.add(0, 'Node:', pod.spec.nodeName ? `${pod.spec.nodeName}/${st.hostIP ?? ''}` : '<none>');
  if (st.startTime) l.add(0, 'Start Time:', rfc1123z(st.startTime));
  l.multi(0, 'Labels:', sortedMap(pod.metadata.labels, '='));
  l.multi(0, 'Annotations:', annotations(pod.metadata.annotations));
  if (pod.metadata.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed') {
    l.add(0, 'Status:', `Terminating (lasts ${humanDuration(nowMs - Date.parse(pod.metadata.deletionTimestamp))})`);
    l.add(0, 'Termination Grace Period:', `${pod.metadata.deletionGracePeriodSeconds ?? 30}s`);
  } else l.add(0, 'Status:', st.phase ?? 'Pending');
  if (st.reason) l.add(0, 'Reason:', st.reason);
  if (st.message) l.add(0, 'Message:', st.message);
  l.add(0, 'IP:', st.podIP ?? '');
  if (st.podIPs?.length) {
    l.add(0, 'IPs:');
    for (const ip of st.podIPs) l.add(1, 'IP:', ip.ip);
  } else l.add(0, 'IPs:', '<none>');
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (owner) l.add(0, 'Controlled By:', `${owner.kind}/${owner.name}`);
  if (pod.spec.initContainers?.length) {
    l.add(0, 'Init Containers:');
    for (const c of pod.spec.initContainers)
      describeContainer(
        l,
        c,
        'pod',
        st.initContainerStatuses?.find((x) => x.name === c.name),
        pod,
      );
  }
  l.add(0, 'Containers:');
  for (const c of pod.spec.containers)
    describeContainer(
      l,
      c,
      'pod',
      st.containerStatuses?.find((x) => x.name === c.name),
      pod,
    );
  if (st.conditions?.length) {
    l.add(0, 'Conditions:');
    l.raw('  Type\tStatus');
    for (const c of st.conditions) l.raw(`  ${c.type} \t${c.status} `);
  }
  describeVolumes(l, 0, pod);
  const limits = pod.spec.containers.every((c) => c.resources?.limits?.cpu && c.resources?.limits?.memory);
  const any = pod.spec.containers.some(
    (c) => Object.keys(c.resources?.limits ?? {}).length || Object.keys(c.resources?.requests ?? {}).length,
  );
  l.add(0, 'QoS Class:', limits ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort');
  l.multi(0, 'Node-Selectors:', sortedMap(pod.spec.nodeSelector as Record<string, string> | undefined, '='));
  l.add(0, 'Tolerations:', '<none>');
  return tabwrite(l.out.join('\n'), DESCRIBE_PADDING) + '\n' + describeEvents(events, nowMs) + '\n';
}

/** A namespace: no events, and (jobctl has no quotas or limit ranges) nothing after its status. */
export function describeNamespace(ns: Namespace): string {
  const l = new Lines();
  l.add(0, 'Name:', ns.metadata.name ?? '');
  l.multi(0, 'Labels:', sortedMap(ns.metadata.labels, '='));
  l.multi(0, 'Annotations:', annotations(ns.metadata.annotations));
  l.add(0, 'Status:', ns.status?.phase ?? '');
  return tabwrite(l.out.join('\n'), DESCRIBE_PADDING) + '\n';
}

/** Name, Namespace, Labels, Annotations: the head of every describe. */
function metaHeader(o: ConfigMap | Secret): string {
  const l = new Lines();
  l.add(0, 'Name:', o.metadata.name ?? '');
  l.add(0, 'Namespace:', o.metadata.namespace ?? '');
  l.multi(0, 'Labels:', sortedMap(o.metadata.labels, '='));
  l.multi(0, 'Annotations:', annotations(o.metadata.annotations));
  return tabwrite(l.out.join('\n'), DESCRIBE_PADDING);
}

export function describeConfigMap(cm: ConfigMap, events: Event[], nowMs: number): string {
  let out = metaHeader(cm) + '\n\nData\n====\n';
  for (const k of Object.keys(cm.data ?? {}).sort()) out += `${k}:\n----\n${cm.data![k]}\n\n`;
  out += '\nBinaryData\n====\n';
  for (const k of Object.keys(cm.binaryData ?? {}).sort())
    out += `${k}: ${Buffer.from(cm.binaryData![k], 'base64').length} bytes\n`;
  return out + '\n' + describeEvents(events, nowMs) + '\n';
}

/** Secrets show their keys and sizes, never their values. */
export function describeSecret(s: Secret, events: Event[], nowMs: number): string {
  const head = metaHeader(s);
  const data = Object.keys(s.data ?? {})
    .sort()
    .map((k) => `${k}:\t${Buffer.from(s.data![k], 'base64').length} bytes`);
  const body = data.length ? tabwrite(data.join('\n'), DESCRIBE_PADDING) + '\n' : '';
  return (
    `${head}\n\nType:  ${s.type ?? 'Opaque'}\n\nData\n====\n${body}` +
    (events.length ? '\n' + describeEvents(events, nowMs) + '\n' : '')
  );
}
