// kube-scheduler's filters for the one node, and its words when a pod does not fit: the node's
// taints against the pod's tolerations, its labels against the pod's nodeSelector and required
// node affinity, then the pod's effective requests against what the node has left (allocatable
// minus the requests of the pods bound there and not finished), and its pod count. Pure: the
// scheduler (controller/scheduler.ts) and apply's warnings both ask it.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec, Taint, Toleration } from './types.js';
import { canonicalQuantity, parseQuantity } from './quantity.js';

/** Resource amounts: cpu in millicores, the rest in their units (bytes, counts). */
export type Amounts = Record<string, number>;

/** An amount as a Quantity prints it: cpu from millicores; bytes in binary units when whole. */
export function formatAmount(resource: string, n: number): string {
  if (n === 0) return '0';
  if (resource === 'cpu') return canonicalQuantity(`${n}m`);
  return n % 1024 === 0 ? canonicalQuantity(`${n / 1024}Ki`) : canonicalQuantity(String(n));
}

const amount = (resource: string, q: string | number): number =>
  resource === 'cpu' ? Math.ceil(parseQuantity(q) * 1000) : Math.ceil(parseQuantity(q));

function add(into: Amounts, from: Amounts, sign = 1): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + sign * v;
}

type Which = 'requests' | 'limits';
type Resourced = { resources?: Partial<Record<Which, Record<string, string | number>>> };

function amountsOf(c: Resourced, which: Which): Amounts {
  const out: Amounts = {};
  for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) out[k] = amount(k, v);
  return out;
}

/**
 * A pod's effective request (or limit), as Kubernetes computes it: its containers' requests added up, or its
 * largest init container's where that is more (a sidecar, an init container that keeps running,
 * counts with the containers and with the init containers after it), plus the pod's overhead.
 */
export function podRequests(pod: Pod, which: Which = 'requests'): Amounts {
  const total: Amounts = {};
  const sidecars: Amounts = {};
  const initPeak: Amounts = {};
  for (const c of pod.spec.initContainers ?? []) {
    const r = amountsOf(c as Resourced, which);
    if (c.restartPolicy === 'Always') {
      add(sidecars, r);
      continue;
    }
    const during: Amounts = { ...sidecars };
    add(during, r);
    for (const [k, v] of Object.entries(during)) initPeak[k] = Math.max(initPeak[k] ?? 0, v);
  }
  for (const c of pod.spec.containers) add(total, amountsOf(c as Resourced, which));
  add(total, sidecars);
  for (const [k, v] of Object.entries(initPeak)) total[k] = Math.max(total[k] ?? 0, v);
  for (const [k, v] of Object.entries((pod.spec.overhead as Record<string, string> | undefined) ?? {}))
    total[k] = (total[k] ?? 0) + amount(k, v);
  return total;
}

/** Kubernetes' toleration rule (v1.Toleration.ToleratesTaint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.operator ?? 'Equal') === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

function matchesRequirement(labels: Record<string, string>, r: NodeSelectorRequirement): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v);
    case 'NotIn':
      return !has || !values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(v) || values.length !== 1 || !/^-?\d+$/.test(values[0])) return false;
      return r.operator === 'Gt' ? Number(v) > Number(values[0]) : Number(v) < Number(values[0]);
    }
    default:
      return false;
  }
}

function matchesTerm(node: Node, term: NodeSelectorTerm): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false; // an empty term matches no node
  const labels = node.metadata.labels ?? {};
  return (
    exprs.every((r) => matchesRequirement(labels, r)) &&
    fields.every(
      (r) => r.key === 'metadata.name' && matchesRequirement({ 'metadata.name': node.metadata.name ?? '' }, r),
    )
  );
}

/** The pod's nodeSelector and required node affinity both hold for the node's labels. */
export function matchesNodeSelector(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms === undefined || terms.some((t) => matchesTerm(node, t));
}

/** Why the pod does not fit: the failing filter's reasons; `resolvable` when freed room could help. */
export interface Misfit {
  reasons: string[];
  resolvable: boolean;
}

/** What the node has left for pods: its allocatable amounts, and how many more pods it takes. */
export interface Room {
  free: Amounts;
  pods: number;
}

/** The room left on the node: allocatable minus what the pods bound there request. */
export function remaining(node: Node, bound: Pod[]): Room {
  const free: Amounts = {};
  let pods = 0;
  for (const [k, v] of Object.entries(node.status?.allocatable ?? {})) {
    if (k === 'pods') pods = Number(v);
    else free[k] = amount(k, v);
  }
  const room = { free, pods };
  for (const p of bound) take(room, p);
  return room;
}

/** The room a pod bound to the node takes. */
export function take(room: Room, pod: Pod): void {
  add(room.free, podRequests(pod), -1);
  room.pods -= 1;
}

/** The node's first taint the pod does not tolerate (PreferNoSchedule only prefers). */
export function untoleratedTaint(spec: PodSpec, node: Node): Taint | undefined {
  const tolerations = spec.tolerations ?? [];
  return (node.spec?.taints ?? []).find(
    (taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint)),
  );
}

/** `key=value:Effect`, `key:Effect`, `key=value` or `key`, as Kubernetes' Taint.ToString writes it. */
export const taintString = (t: Pick<Taint, 'key' | 'value'> & { effect?: string }): string =>
  `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;

/**
 * kube-scheduler's filters in its order, for `pod` on `node` where `bound` (not finished) already
 * run; undefined when it fits. The first filter that fails gives the reasons, as in Kubernetes.
 */
export function misfit(pod: Pod, node: Node, bound: Pod[]): Misfit | undefined {
  return misfitIn(pod, node, remaining(node, bound));
}

/** `misfit` with the room left already counted (a scheduler's pass counts it once). */
export function misfitIn(pod: Pod, node: Node, room: Room): Misfit | undefined {
  if (node.spec?.unschedulable) {
    const cordon: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
    if (!(pod.spec.tolerations ?? []).some((t) => tolerates(t, cordon)))
      return { reasons: ['node(s) were unschedulable'], resolvable: false };
  }
  const untolerated = untoleratedTaint(pod.spec, node);
  if (untolerated) {
    return {
      reasons: [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`],
      resolvable: false,
    };
  }
  if (!matchesNodeSelector(pod, node))
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
  const reasons: string[] = [];
  if (room.pods < 1) reasons.push('Too many pods');
  for (const [k, v] of Object.entries(podRequests(pod))) {
    if (v > 0 && v > (room.free[k] ?? 0)) reasons.push(`Insufficient ${k}`);
  }
  return reasons.length ? { reasons, resolvable: true } : undefined;
}

/**
 * The scheduler's message for a pod no node takes (its FailedScheduling event and the
 * PodScheduled condition), as kube-scheduler 1.32 words it for one node, preemption included.
 */
export function unschedulableMessage(m: Misfit): string {
  const reasons = m.reasons.map((r) => `1 ${r}`).sort();
  const preemption = m.resolvable
    ? 'No preemption victims found for incoming pod'
    : 'Preemption is not helpful for scheduling';
  return `0/1 nodes are available: ${reasons.join(', ')}. preemption: 0/1 nodes are available: 1 ${preemption}..`;
}

/**
 * Why pods of this template can never run on the node, even with nothing else on it, and what
 * would change that: apply's warning. Undefined when they can.
 */
export function neverSchedulable(spec: PodSpec, node: Node): string | undefined {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec } as Pod;
  const m = misfit(pod, node, []);
  if (!m) return undefined;
  const name = node.metadata.name ?? '';
  const head = `spec.template.spec: its pods can never be scheduled on node "${name}"`;
  const taint = untoleratedTaint(spec, node);
  if (m.reasons[0].startsWith('node(s) had untolerated taint') && taint)
    return `${head}: it has the taint ${taintString(taint)}; add a toleration, or remove the taint: jobctl taint node ${name} ${taintString({ key: taint.key, effect: taint.effect })}-`;
  if (m.reasons[0] === 'node(s) were unschedulable') return `${head}: it is cordoned (spec.unschedulable)`;
  if (!m.resolvable) {
    const labels = node.metadata.labels ?? {};
    const missing = Object.entries(spec.nodeSelector ?? {}).filter(([k, v]) => labels[k] !== v);
    const fix = missing.length
      ? `label the node: jobctl label node ${name} ${missing.map(([k, v]) => `${k}=${v}`).join(' ')}${missing.some(([k]) => k in labels) ? ' --overwrite' : ''}`
      : `change the required node affinity, or label the node to match it: jobctl label node ${name} KEY=VALUE`;
    return `${head}: its labels match neither the nodeSelector nor the required node affinity; ${fix}`;
  }
  const { free } = remaining(node, []);
  const asked = podRequests(pod);
  const short = m.reasons
    .filter((r) => r.startsWith('Insufficient '))
    .map((r) => r.slice('Insufficient '.length))
    .map((k) => `${k}: ${formatAmount(k, asked[k])} requested, ${formatAmount(k, free[k] ?? 0)} allocatable`);
  return `${head}: ${short.join('; ')}; lower the requests (or the node's reserve: JOBCTL_NODE_CPU, JOBCTL_NODE_MEMORY)`;
}

/** The node's annotation naming its engine's endpoint (as kubeadm's `cri-socket`). */
export const ENGINE_ENDPOINT_ANNOTATION = 'jobctl.io/cri-endpoint';

/** The node's Ready condition, if it has posted one. */
export const readyCondition = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready');

/** apply's warning while the node is NotReady (its engine does not answer): its pods wait. */
export function notReadyWarning(node: Node): string | undefined {
  const ready = readyCondition(node);
  if (!ready || ready.status === 'True') return undefined;
  return `node "${node.metadata.name ?? ''}" is not ready: ${ready.message ?? ready.reason ?? 'unknown'}; its pods wait until it is`;
}
