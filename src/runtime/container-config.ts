// Pod + container → Docker Engine create body. Kubernetes' command/args map onto ENTRYPOINT/CMD.
import { cpuMillis, bytes, type Container, type Pod } from '../api/index.js';
import {
  LABEL_CONTAINER_NAME,
  LABEL_INIT,
  LABEL_INSTANCE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
} from './labels.js';

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
  binds: string[];
  /** `container:<id>` to join a pod sandbox's network, else the pod's own mode. */
  networkMode?: string;
}

export function containerCreateBody(pod: Pod, c: Container, opts: CreateOptions): Record<string, unknown> {
  const env = opts.env;
  const expand = (list: string[] | undefined) => list?.map((s) => expandVars(s, env));
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const host: Record<string, unknown> = {
    NetworkMode: opts.networkMode ?? (pod.spec.hostNetwork ? 'host' : 'none'),
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: {} },
    Binds: opts.binds,
  };
  const sc = {
    ...((pod.spec.securityContext ?? {}) as SecurityContext),
    ...((c.securityContext ?? {}) as SecurityContext),
  };
  let user: string | undefined;
  if (sc.runAsUser !== undefined) user = `${sc.runAsUser}${sc.runAsGroup !== undefined ? `:${sc.runAsGroup}` : ''}`;
  else if (sc.runAsGroup !== undefined) user = `0:${sc.runAsGroup}`;
  if (sc.readOnlyRootFilesystem) host.ReadonlyRootfs = true;
  if (sc.privileged) host.Privileged = true;
  if (sc.capabilities?.add?.length) host.CapAdd = sc.capabilities.add;
  if (sc.capabilities?.drop?.length) host.CapDrop = sc.capabilities.drop;
  const groups = pod.spec.securityContext as { supplementalGroups?: number[]; fsGroup?: number } | undefined;
  const extra = [...(groups?.supplementalGroups ?? []), ...(groups?.fsGroup !== undefined ? [groups.fsGroup] : [])];
  if (extra.length) host.GroupAdd = extra.map(String);
  if (limits.memory) host.Memory = bytes(limits.memory);
  if (limits.cpu) host.NanoCpus = cpuMillis(limits.cpu) * 1_000_000;
  if (requests.cpu) host.CpuShares = Math.max(MIN_CPU_SHARES, Math.floor((cpuMillis(requests.cpu) * 1024) / 1000));
  const body: Record<string, unknown> = {
    Image: c.image,
    Env: [...env].map(([k, v]) => `${k}=${v}`),
    ...(opts.networkMode?.startsWith('container:') ? {} : { Hostname: podHostname(pod) }),
    ...(user ? { User: user } : {}),
    Labels: {
      [LABEL_INSTANCE]: opts.instanceId,
      [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
      [LABEL_POD_NAME]: pod.metadata.name ?? '',
      [LABEL_POD_UID]: pod.metadata.uid ?? '',
      [LABEL_CONTAINER_NAME]: c.name,
      [LABEL_RESTART_COUNT]: String(opts.restart),
      ...(opts.init ? { [LABEL_INIT]: 'true' } : {}),
    },
    HostConfig: host,
    StopSignal: 'SIGTERM',
  };
  if (c.command) {
    body.Entrypoint = expand(c.command);
    body.Cmd = expand(c.args) ?? [];
  } else if (c.args) {
    body.Cmd = expand(c.args);
  }
  if (c.workingDir) body.WorkingDir = c.workingDir;
  return body;
}
