// What a pod's containers get from the API beyond their own spec: environment from ConfigMaps,
// Secrets and the downward API, and volumes (emptyDir, hostPath, configMap, secret, downwardAPI)
// materialised as host directories that are bind-mounted.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { bytes, cpuMillis, type ConfigMap, type Container, type Pod, type Secret, type Volume } from '../api/index.js';
import { expandVars } from './container-config.js';

/** A reference the pod needs is missing: the container waits with CreateContainerConfigError. */
export class ConfigRefError extends Error {}
/** A volume cannot be set up yet: the pod stays ContainerCreating with a FailedMount event. */
export class MountError extends Error {}

export interface ObjectSource {
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
  getSecret(namespace: string, name: string): Secret | undefined;
}

export function podDir(root: string, pod: Pod): string {
  return join(root, pod.metadata.uid ?? 'unknown');
}

function memoryDir(pod: Pod, name: string): string {
  return join('/dev/shm', 'jobctl', pod.metadata.uid ?? 'unknown', name);
}

export function removePodDirs(root: string, pod: Pod): void {
  rmSync(podDir(root, pod), { recursive: true, force: true });
  rmSync(join('/dev/shm', 'jobctl', pod.metadata.uid ?? 'unknown'), { recursive: true, force: true });
}

export function fieldRefValue(pod: Pod, path: string): string {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return Object.entries(m.labels ?? {})
        .map(([k, v]) => `${k}="${v}"`)
        .join('\n');
    case 'metadata.annotations':
      return Object.entries(m.annotations ?? {})
        .map(([k, v]) => `${k}="${v}"`)
        .join('\n');
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return String(pod.spec.serviceAccountName ?? 'default');
    case 'status.podIP':
    case 'status.hostIP':
    case 'status.podIPs':
    case 'status.hostIPs':
      return '127.0.0.1';
    default:
      return '';
  }
}

function resourceFieldValue(
  pod: Pod,
  c: Container,
  ref: { containerName?: string; resource?: string; divisor?: string },
): string {
  const target = ref.containerName
    ? ([...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === ref.containerName) ?? c)
    : c;
  const [kind, name] = (ref.resource ?? '').split('.') as ['limits' | 'requests', string];
  const q = target.resources?.[kind]?.[name];
  if (name === 'cpu') {
    const divisorMillis = ref.divisor ? cpuMillis(ref.divisor) : 1000;
    const millis = q ? cpuMillis(q) : 0;
    return String(Math.max(q ? 1 : 0, Math.ceil(millis / divisorMillis)));
  }
  const divisor = ref.divisor ? bytes(ref.divisor) : 1;
  return String(q ? Math.ceil(bytes(q) / divisor) : 0);
}

const secretValue = (s: Secret, key: string): string | undefined => {
  const v = s.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

/** The container's environment in Kubernetes' order: envFrom first, then env (later wins). */
export function resolveEnv(pod: Pod, c: Container, source: ObjectSource): Map<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const vars = new Map<string, string>();
  for (const from of (c.envFrom ?? []) as {
    prefix?: string;
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[]) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = source.getConfigMap(ns, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ConfigRefError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    }
    if (from.secretRef) {
      const s = source.getSecret(ns, from.secretRef.name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ConfigRefError(`secret "${from.secretRef.name}" not found`);
      }
      for (const k of Object.keys(s.data ?? {})) vars.set(prefix + k, secretValue(s, k)!);
    }
  }
  for (const e of c.env ?? []) {
    const vf = e.valueFrom as Record<string, Record<string, string | boolean | undefined>> | undefined;
    if (!vf) {
      vars.set(e.name, expandVars(e.value ?? '', vars));
      continue;
    }
    if (vf.fieldRef) vars.set(e.name, fieldRefValue(pod, String(vf.fieldRef.fieldPath ?? '')));
    else if (vf.resourceFieldRef)
      vars.set(e.name, resourceFieldValue(pod, c, vf.resourceFieldRef as { resource?: string }));
    else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = source.getConfigMap(ns, String(ref.name));
      const v = cm?.data?.[String(ref.key)];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ConfigRefError(
          cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`,
        );
      }
      vars.set(e.name, v);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = source.getSecret(ns, String(ref.name));
      const v = s && secretValue(s, String(ref.key));
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ConfigRefError(
          s ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`,
        );
      }
      vars.set(e.name, v);
    }
  }
  return vars;
}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** A path inside a volume: relative, no `..`. */
function safeJoin(base: string, rel: string): string {
  const n = normalize(rel);
  if (n.startsWith('..') || n.startsWith('/')) throw new MountError(`invalid path "${rel}"`);
  return join(base, n);
}

function writeFiles(
  dir: string,
  entries: Map<string, string | Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  what: string,
): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const chosen: KeyToPath[] = items?.length ? items : [...entries.keys()].map((k) => ({ key: k, path: k }));
  for (const item of chosen) {
    const v = entries.get(item.key);
    if (v === undefined) throw new MountError(`configuration key "${item.key}" not found in ${what}`);
    const file = safeJoin(dir, item.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, v);
    chmodSync(file, item.mode ?? defaultMode);
  }
}

export interface VolumeMountSource {
  /** A host directory, or the name of an engine volume (`engineTmpfsBytes` set). */
  hostPath: string;
  readOnly: boolean;
  /** A `medium: Memory` emptyDir with a sizeLimit: a tmpfs of that size, mounted by the engine. */
  engineTmpfsBytes?: number;
}

interface EmptyDirSource {
  medium?: string;
  sizeLimit?: string | number;
}

/** Bytes a directory tree takes on disk (its blocks, as du counts them); 0 when it is gone. */
export async function diskUsageBytes(path: string): Promise<number> {
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return;
    total += st.blocks * 512;
    if (st.isDirectory()) for (const name of await readdir(p).catch(() => [] as string[])) await walk(join(p, name));
  };
  await walk(path);
  return total;
}

/** A `medium: Memory` emptyDir's size when it has a positive sizeLimit: it is an engine tmpfs volume. */
export function tmpfsBytes(v: Volume): number | undefined {
  const ed = v.emptyDir as EmptyDirSource | undefined;
  if (ed?.medium !== 'Memory' || ed.sizeLimit === undefined) return undefined;
  const size = bytes(ed.sizeLimit);
  return size > 0 ? size : undefined;
}

/** The engine volume that holds a sized memory-backed emptyDir of a pod. */
export function engineVolumeName(pod: Pod, volume: string): string {
  return `jobctl-${pod.metadata.uid ?? 'unknown'}-${volume}`;
}

/** A disk-backed emptyDir with a sizeLimit: the kubelet evicts the pod when it grows past it. */
export interface SizedEmptyDir {
  name: string;
  hostPath: string;
  limitBytes: number;
  /** As the manifest wrote it: Kubernetes' eviction message quotes the quantity. */
  limit: string;
}

export function sizedDiskEmptyDirs(pod: Pod, volumes: Map<string, VolumeMountSource>): SizedEmptyDir[] {
  const out: SizedEmptyDir[] = [];
  for (const v of pod.spec.volumes ?? []) {
    const ed = v.emptyDir as EmptyDirSource | undefined;
    const mount = volumes.get(v.name);
    if (!ed || ed.medium === 'Memory' || ed.sizeLimit === undefined || !mount) continue;
    const limitBytes = bytes(ed.sizeLimit);
    if (limitBytes > 0) out.push({ name: v.name, hostPath: mount.hostPath, limitBytes, limit: String(ed.sizeLimit) });
  }
  return out;
}

/**
 * Materialises the pod's volumes; emptyDirs survive in-place restarts, not new pods. `remote`: the
 * engine is on another host (`ssh://build (DOCKER_HOST)`), which files written here cannot reach.
 */
export function prepareVolumes(
  pod: Pod,
  root: string,
  source: ObjectSource,
  remote?: string,
): Map<string, VolumeMountSource> {
  const ns = pod.metadata.namespace ?? 'default';
  const out = new Map<string, VolumeMountSource>();
  const base = join(podDir(root, pod), 'volumes');
  for (const v of pod.spec.volumes ?? []) {
    const local = ['emptyDir', 'configMap', 'secret', 'downwardAPI'].find((k) => k in v);
    if (remote && local && !(local === 'emptyDir' && tmpfsBytes(v) !== undefined))
      throw new MountError(
        `volume "${v.name}": ${local} volumes are files jobctl keeps on this machine, and the engine at ${remote} is on another host; use an engine on this machine (or, there, hostPath volumes and emptyDirs with medium Memory and a sizeLimit)`,
      );
    const dir = join(base, v.name);
    if (v.emptyDir !== undefined) {
      const tmpfs = tmpfsBytes(v);
      if (tmpfs !== undefined) {
        out.set(v.name, { hostPath: engineVolumeName(pod, v.name), readOnly: false, engineTmpfsBytes: tmpfs });
        continue;
      }
      const { medium } = v.emptyDir as EmptyDirSource;
      const path = medium === 'Memory' ? memoryDir(pod, v.name) : dir;
      mkdirSync(path, { recursive: true, mode: 0o777 });
      chmodSync(path, 0o777);
      out.set(v.name, { hostPath: path, readOnly: false });
    } else if (v.hostPath !== undefined) {
      const hp = v.hostPath as { path: string; type?: string };
      if (hp.type === 'DirectoryOrCreate') mkdirSync(hp.path, { recursive: true });
      out.set(v.name, { hostPath: hp.path, readOnly: false });
    } else if (v.configMap !== undefined) {
      const ref = v.configMap as { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
      const cm = source.getConfigMap(ns, ref.name);
      if (!cm && !ref.optional) throw new MountError(`configmap "${ref.name}" not found`);
      const entries = new Map<string, string | Buffer>(Object.entries(cm?.data ?? {}));
      for (const [k, b64] of Object.entries(cm?.binaryData ?? {})) entries.set(k, Buffer.from(b64, 'base64'));
      writeFiles(dir, entries, ref.items, ref.defaultMode ?? 0o644, `configmap "${ref.name}"`);
      out.set(v.name, { hostPath: dir, readOnly: true });
    } else if (v.secret !== undefined) {
      const ref = v.secret as { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
      const s = source.getSecret(ns, ref.secretName);
      if (!s && !ref.optional) throw new MountError(`secret "${ref.secretName}" not found`);
      const entries = new Map<string, string | Buffer>(
        Object.entries(s?.data ?? {}).map(([k, b64]) => [k, Buffer.from(b64, 'base64')]),
      );
      writeFiles(dir, entries, ref.items, ref.defaultMode ?? 0o644, `secret "${ref.secretName}"`);
      out.set(v.name, { hostPath: dir, readOnly: true });
    } else if (v.downwardAPI !== undefined) {
      const ref = v.downwardAPI as {
        items?: { path: string; fieldRef?: { fieldPath: string }; mode?: number }[];
        defaultMode?: number;
      };
      const entries = new Map<string, string>();
      const items: KeyToPath[] = [];
      for (const item of ref.items ?? []) {
        entries.set(item.path, item.fieldRef ? fieldRefValue(pod, item.fieldRef.fieldPath) : '');
        items.push({ key: item.path, path: item.path, mode: item.mode });
      }
      writeFiles(dir, entries, items, ref.defaultMode ?? 0o644, 'the downward API');
      out.set(v.name, { hostPath: dir, readOnly: true });
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      throw new MountError(`volume "${v.name}": ${kind} volumes are not supported by jobctl's single local engine`);
    }
  }
  return out;
}

/** `-v host:container[:ro]` binds for one container's volumeMounts. */
export function containerBinds(c: Container, volumes: Map<string, VolumeMountSource>): string[] {
  return (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new MountError(`volume "${m.name}" is not prepared`);
    let host = v.hostPath;
    if (m.subPath && v.engineTmpfsBytes !== undefined)
      throw new MountError(`volume "${m.name}": subPath is not supported on a memory-backed emptyDir with a sizeLimit`);
    if (m.subPath) {
      host = safeJoin(host, m.subPath);
      mkdirSync(host, { recursive: true });
    }
    return `${host}:${m.mountPath}${m.readOnly || v.readOnly ? ':ro' : ''}`;
  });
}

/** Where one run of a container writes its termination message on the host (beside the pod's volumes). */
export function terminationMessageHostPath(root: string, pod: Pod, container: string, restart: number): string {
  return join(podDir(root, pod), `termination-${container}-${restart}`);
}

/** Creates the (empty, world-writable) host file bind-mounted at terminationMessagePath; its path. */
export function terminationMessageFile(root: string, pod: Pod, container: string, restart: number): string {
  mkdirSync(podDir(root, pod), { recursive: true });
  const file = terminationMessageHostPath(root, pod, container, restart);
  writeFileSync(file, '', { mode: 0o666 });
  chmodSync(file, 0o666);
  return file;
}
