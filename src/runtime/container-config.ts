// Pod + container → Docker Engine create body. Kubernetes' command/args map onto ENTRYPOINT/CMD.
import { cpuMillis, bytes, type Container, type Pod } from '../api/index.js';
import {
  LABEL_CONTAINER_NAME, LABEL_INIT, LABEL_INSTANCE, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, LABEL_RESTART_COUNT,
} from './labels.js';

/** Docker's lower bound for CPU shares. */
const MIN_CPU_SHARES = 2;

export function dockerContainerName(pod: Pod, c: Container, restart: number): string {
  const m = pod.metadata;
  return `k8s_${c.name}_${m.name}_${m.namespace}_${m.uid}_${restart}`;
}

function fieldRefValue(pod: Pod, path: string): string {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName': return String(pod.spec.serviceAccountName ?? 'default');
    case 'status.podIP': case 'status.hostIP': return '127.0.0.1';
    default: return '';
  }
}

/** `$(VAR)` references to earlier variables expand, `$$` escapes, as the kubelet does. */
export function expandVars(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([^)]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : whole;
  });
}

export function containerEnv(pod: Pod, c: Container): Map<string, string> {
  const vars = new Map<string, string>();
  for (const e of c.env ?? []) {
    let value = e.value !== undefined ? expandVars(e.value, vars) : '';
    const fieldRef = e.valueFrom?.fieldRef as { fieldPath?: string } | undefined;
    if (fieldRef?.fieldPath) value = fieldRefValue(pod, fieldRef.fieldPath);
    vars.set(e.name, value);
  }
  return vars;
}

export interface CreateOptions {
  instanceId: string;
  restart: number;
  init: boolean;
}

export function containerCreateBody(pod: Pod, c: Container, opts: CreateOptions): Record<string, unknown> {
  const env = containerEnv(pod, c);
  const expand = (list: string[] | undefined) => list?.map((s) => expandVars(s, env));
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const host: Record<string, unknown> = {
    NetworkMode: pod.spec.hostNetwork ? 'host' : 'none',
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: {} },
  };
  if (limits.memory) host.Memory = bytes(limits.memory);
  if (limits.cpu) host.NanoCpus = cpuMillis(limits.cpu) * 1_000_000;
  if (requests.cpu) host.CpuShares = Math.max(MIN_CPU_SHARES, Math.floor((cpuMillis(requests.cpu) * 1024) / 1000));
  const body: Record<string, unknown> = {
    Image: c.image,
    Env: [...env].map(([k, v]) => `${k}=${v}`),
    Hostname: pod.spec.hostname ?? pod.metadata.name,
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
