// A runtime-neutral container spec as the Docker Engine's create body.
import type { ContainerSpec } from '../cri.js';

export function dockerCreateBody(spec: ContainerSpec): Record<string, unknown> {
  const net = spec.network;
  const host: Record<string, unknown> = {
    NetworkMode: net.mode === 'container' ? `container:${net.id}` : net.mode,
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: {} },
    Binds: spec.mounts,
  };
  const sec = spec.security;
  if (sec.readOnlyRootfs) host.ReadonlyRootfs = true;
  if (sec.privileged) host.Privileged = true;
  if (sec.capAdd?.length) host.CapAdd = sec.capAdd;
  if (sec.capDrop?.length) host.CapDrop = sec.capDrop;
  if (sec.groupAdd?.length) host.GroupAdd = sec.groupAdd;
  const res = spec.resources;
  if (res.memoryBytes !== undefined) host.Memory = res.memoryBytes;
  if (res.nanoCpus !== undefined) host.NanoCpus = res.nanoCpus;
  if (res.cpuShares !== undefined) host.CpuShares = res.cpuShares;
  const body: Record<string, unknown> = {
    Image: spec.image,
    Env: spec.env,
    ...(spec.hostname !== undefined ? { Hostname: spec.hostname } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    Labels: spec.labels,
    HostConfig: host,
    StopSignal: 'SIGTERM',
  };
  if (spec.entrypoint) body.Entrypoint = spec.entrypoint;
  if (spec.cmd) body.Cmd = spec.cmd;
  if (spec.workingDir) body.WorkingDir = spec.workingDir;
  const t = spec.terminal;
  if (t) Object.assign(body, { OpenStdin: t.stdin, StdinOnce: t.stdinOnce, Tty: t.tty });
  return body;
}
