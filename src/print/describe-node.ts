// `describe node` in kubectl's layout: the node, its conditions and resources, the pods on it
// that have not finished with what they request and limit, and the sum against allocatable.
import {
  formatAmount,
  humanDuration,
  nodeRoles,
  parseQuantity,
  podRequests,
  taintString,
  type Amounts,
  type Event,
  type Node,
  type Pod,
} from '../api/index.js';
import { annotations, DESCRIBE_PADDING, describeEvents, Lines, rfc1123z, sortedMap } from './describe.js';
import { tabwrite } from './tabwriter.js';

/** Of allocatable, in whole percent as kubectl truncates it. */
function share(resource: string, n: number, allocatable: Record<string, string>): string {
  const of =
    allocatable[resource] === undefined ? 0 : parseQuantity(allocatable[resource]) * (resource === 'cpu' ? 1000 : 1);
  return `${formatAmount(resource, n)} (${of > 0 ? Math.trunc((n / of) * 100) : 0}%)`;
}

/** What reading the node's Lease gave: its holder and times, or the error (jobctl serves none). */
export type NodeLease = { error: string } | { holder?: string; acquired?: string; renewed?: string };

/** `lease` is printed as kubectl prints it: the Lease's fields, or why it could not be read. */
export function describeNode(node: Node, pods: Pod[], events: Event[], lease: NodeLease, nowMs: number): string {
  const m = node.metadata;
  const st = node.status ?? {};
  const l = new Lines();
  l.add(0, 'Name:', m.name ?? '');
  l.add(0, 'Roles:', nodeRoles(node));
  l.multi(0, 'Labels:', sortedMap(m.labels, '='));
  l.multi(0, 'Annotations:', annotations(m.annotations));
  l.add(0, 'CreationTimestamp:', m.creationTimestamp ? rfc1123z(m.creationTimestamp) : '');
  l.multi(0, 'Taints:', (node.spec?.taints ?? []).map(taintString));
  l.add(0, 'Unschedulable:', String(Boolean(node.spec?.unschedulable)));
  if ('error' in lease) l.add(0, 'Lease:', `Failed to get lease: ${lease.error}`);
  else {
    const time = (t?: string) => (t ? rfc1123z(t) : '<unset>');
    l.add(0, 'Lease:');
    l.add(1, 'HolderIdentity:', lease.holder ?? '<unset>');
    l.add(1, 'AcquireTime:', time(lease.acquired));
    l.add(1, 'RenewTime:', time(lease.renewed));
  }
  l.add(0, 'Conditions:');
  l.raw('  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage');
  l.raw('  ----\t------\t-----------------\t------------------\t------\t-------');
  for (const c of st.conditions ?? []) {
    const at = (t?: string) => (t ? rfc1123z(t) : '');
    l.raw(
      `  ${c.type} \t${c.status} \t${at(c.lastHeartbeatTime)} \t${at(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}`,
    );
  }
  l.add(0, 'Addresses:');
  for (const a of st.addresses ?? []) l.add(1, `${a.type}:`, a.address);
  for (const [title, map] of [
    ['Capacity:', st.capacity],
    ['Allocatable:', st.allocatable],
  ] as const) {
    l.add(0, title);
    for (const k of Object.keys(map ?? {}).sort()) l.add(1, `${k}:`, map![k]);
  }
  const info = st.nodeInfo;
  l.add(0, 'System Info:');
  l.add(1, 'Machine ID:', info?.machineID ?? '');
  l.add(1, 'System UUID:', info?.systemUUID ?? '');
  l.add(1, 'Boot ID:', info?.bootID ?? '');
  l.add(1, 'Kernel Version:', info?.kernelVersion ?? '');
  l.add(1, 'OS Image:', info?.osImage ?? '');
  l.add(1, 'Operating System:', info?.operatingSystem ?? '');
  l.add(1, 'Architecture:', info?.architecture ?? '');
  l.add(1, 'Container Runtime Version:', info?.containerRuntimeVersion ?? '');
  l.add(1, 'Kubelet Version:', info?.kubeletVersion ?? '');
  l.add(1, 'Kube-Proxy Version:', info?.kubeProxyVersion ?? '');
  const allocatable = st.allocatable ?? {};
  l.add(0, 'Non-terminated Pods:', `(${pods.length} in total)`);
  l.raw('  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge');
  l.raw('  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---');
  const requested: Amounts = {};
  const limited: Amounts = {};
  for (const p of pods) {
    const req = podRequests(p);
    const lim = podRequests(p, 'limits');
    for (const [k, v] of Object.entries(req)) requested[k] = (requested[k] ?? 0) + v;
    for (const [k, v] of Object.entries(lim)) limited[k] = (limited[k] ?? 0) + v;
    const age = p.metadata.creationTimestamp ? humanDuration(nowMs - Date.parse(p.metadata.creationTimestamp)) : '';
    l.raw(
      `  ${p.metadata.namespace}\t${p.metadata.name}\t\t${share('cpu', req.cpu ?? 0, allocatable)}\t` +
        `${share('cpu', lim.cpu ?? 0, allocatable)}\t${share('memory', req.memory ?? 0, allocatable)}\t` +
        `${share('memory', lim.memory ?? 0, allocatable)}\t${age}`,
    );
  }
  l.add(0, 'Allocated resources:');
  l.raw('  (Total limits may be over 100 percent, i.e., overcommitted.)');
  l.raw('  Resource\tRequests\tLimits');
  l.raw('  --------\t--------\t------');
  const extended = Object.keys(allocatable).filter((k) => !['cpu', 'memory', 'pods', 'ephemeral-storage'].includes(k));
  for (const k of ['cpu', 'memory', 'ephemeral-storage', ...extended.sort()]) {
    l.raw(`  ${k}\t${share(k, requested[k] ?? 0, allocatable)}\t${share(k, limited[k] ?? 0, allocatable)}`);
  }
  if (events.length === 0) {
    l.add(0, 'Events:', '<none>');
    return tabwrite(l.out.join('\n'), DESCRIBE_PADDING) + '\n';
  }
  return tabwrite(l.out.join('\n'), DESCRIBE_PADDING) + '\n' + describeEvents(events, nowMs) + '\n';
}
