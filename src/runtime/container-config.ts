// Pod + container → the runtime's container spec. Kubernetes' command/args map onto entrypoint/cmd.
import { cpuMillis, bytes, type Container, type Pod } from '../api/index.js';
import type { ContainerSpec } from './cri.js';
import { LABEL_CONTAINER_NAME, LABEL_INIT, LABEL_RESTART_COUNT, podLabels } from './labels.js';

/** Docker's lower bound for CPU shares. */
const MIN_CPU_SHARES = 2;

export function dockerContainerName(pod: Pod, c: Container, restart: number): string {
  const m = pod.metadata;
  return `k8s_${c.name}_${m.name}_${m.namespace}_${m.uid}_${restart}`;
}

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export const podHostname = (pod: Pod): string => pod.spec.hostname ?? (pod.metadata.name ?? '').slice(0, 63);

/** `$(VAR)` references to earlier variables expand, `$$` escapes, as the kubelet does. */
export function expandVars(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([^)]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : whole;
  });
}

export interface CreateOptions {
  instanceId: string;
  restart: number;
  init: boolean;
  env: Map<string, string>;
  mounts: string[];
  /** The sandbox whose network namespace the container joins, else the pod's own mode. */
  sandboxId?: string;
}

/** A pod's container as the runtime-neutral spec: Kubernetes' command/args map onto entrypoint/cmd. */
export function containerSpec(pod: Pod, c: Container, opts: CreateOptions): ContainerSpec {
  const env = opts.env;
  const expand = (list: string[] | undefined) => list?.map((s) => expandVars(s, env));
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const sc = {
    ...((pod.spec.securityContext ?? {}) as SecurityContext),
    ...((c.securityContext ?? {}) as SecurityContext),
  };
  let user: string | undefined;
  if (sc.runAsUser !== undefined) user = `${sc.runAsUser}${sc.runAsGroup !== undefined ? `:${sc.runAsGroup}` : ''}`;
  else if (sc.runAsGroup !== undefined) user = `0:${sc.runAsGroup}`;
  const groups = pod.spec.securityContext as { supplementalGroups?: number[]; fsGroup?: number } | undefined;
  const extra = [...(groups?.supplementalGroups ?? []), ...(groups?.fsGroup !== undefined ? [groups.fsGroup] : [])];
  const spec: ContainerSpec = {
    image: c.image ?? '',
    env: [...env].map(([k, v]) => `${k}=${v}`),
    ...(opts.sandboxId ? {} : { hostname: podHostname(pod) }),
    ...(user ? { user } : {}),
    labels: {
      ...podLabels(pod, opts.instanceId),
      [LABEL_CONTAINER_NAME]: c.name,
      [LABEL_RESTART_COUNT]: String(opts.restart),
      ...(opts.init ? { [LABEL_INIT]: 'true' } : {}),
    },
    annotations: { ...pod.metadata.annotations },
    network: opts.sandboxId
      ? { mode: 'container', id: opts.sandboxId }
      : pod.spec.hostNetwork
        ? { mode: 'host' }
        : { mode: 'none' },
    mounts: opts.mounts,
    resources: {
      ...(limits.memory ? { memoryBytes: bytes(limits.memory) } : {}),
      ...(limits.cpu ? { nanoCpus: cpuMillis(limits.cpu) * 1_000_000 } : {}),
      ...(requests.cpu
        ? { cpuShares: Math.max(MIN_CPU_SHARES, Math.floor((cpuMillis(requests.cpu) * 1024) / 1000)) }
        : {}),
    },
    security: {
      ...(sc.privileged ? { privileged: true } : {}),
      ...(sc.readOnlyRootFilesystem ? { readOnlyRootfs: true } : {}),
      ...(sc.capabilities?.add?.length ? { capAdd: sc.capabilities.add } : {}),
      ...(sc.capabilities?.drop?.length ? { capDrop: sc.capabilities.drop } : {}),
      ...(extra.length ? { groupAdd: extra.map(String) } : {}),
    },
  };
  if (c.command) {
    spec.entrypoint = expand(c.command);
    spec.cmd = expand(c.args) ?? [];
  } else if (c.args) {
    spec.cmd = expand(c.args);
  }
  if (c.workingDir) spec.workingDir = c.workingDir;
  if (c.stdin || c.tty)
    spec.terminal = { stdin: Boolean(c.stdin), stdinOnce: Boolean(c.stdinOnce), tty: Boolean(c.tty) };
  return spec;
}
