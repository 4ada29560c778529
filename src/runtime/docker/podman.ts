// Where Podman's Docker-compatible API differs from Docker's, and what jobctl does about it.
//
// - Resource limits: a Docker engine's containers inherit the engine's own `nofile` and `nproc`
//   limits; Podman sets its own defaults (1,048,576 open files for root), and where the machine's
//   hard limits are lower its containers fail to start ("error setting rlimit type 7"). Its
//   compat API cannot ask for "the engine's own" (`--ulimit host`; -1 is not understood by 4.3),
//   so jobctl asks for the limits of the process serving the socket, read from /proc, as a Docker
//   engine's containers would have them; for an engine it cannot see (TCP, SSH), its own.
// - Events: Podman 4 filters `event=` on its own action names (`died`, not `die`), though it
//   reports `die`; the exit watch asks for both.
// - A name in use: Docker answers 409 Conflict, Podman 4 a 500 saying "that name is already in
//   use"; jobctl takes it as the 409 it is (the container a crash left is taken over, not retried
//   forever as CreateContainerError).
// - OOM kills: Podman 4.3 on cgroup v1 (cgroupfs) does not report them here (`State.OOMKilled`
//   stays false, no `oom` event): such a container ends with exit code 137 and reason Error, as
//   the engine says; jobctl does not guess.
// - Images: Podman names a loaded or built image `localhost/busybox:1.35`; the short name finds
//   it, as on Docker.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export type EngineFlavour = 'docker' | 'podman';

/** From `GET /version`: Podman names itself among the components. */
export function engineFlavour(version: { Components?: { Name: string }[] }): EngineFlavour {
  return (version.Components ?? []).some((c) => /podman/i.test(c.Name)) ? 'podman' : 'docker';
}

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** `Max open files  20000  20000  files` as [soft, hard]; undefined for `unlimited`. */
function limit(table: string, label: string): [number, number] | undefined {
  const line = table.split('\n').find((l) => l.startsWith(label));
  const m = line
    ?.slice(label.length)
    .trim()
    .match(/^(\d+)\s+(\d+)/);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The `nofile` and `nproc` limits of a limits table (empty where unlimited or unknown). */
export function podmanUlimits(limits: string): Ulimit[] {
  const out: Ulimit[] = [];
  for (const [name, label] of [
    ['nofile', 'Max open files'],
    ['nproc', 'Max processes'],
  ] as const) {
    const l = limit(limits, label);
    if (l) out.push({ Name: name, Soft: l[0], Hard: l[1] });
  }
  return out;
}

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** The pid of the process listening on a unix socket on this machine, if it can be seen. */
export function socketOwner(socket: string): number | undefined {
  // /proc/net/unix: Num RefCount Protocol Flags Type St Inode Path; flags 00010000 = listening.
  const line = read('/proc/net/unix')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[7] === socket && (parseInt(f[3] ?? '0', 16) & 0x10000) !== 0);
  if (!line) return undefined;
  const target = `socket:[${line[6]}]`;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return Number(pid);
      } catch {
        /* gone, or not ours to read */
      }
    }
  }
  return undefined;
}

/** The limits Podman's containers get: those of the engine serving `socket`, else this process's. */
export function engineLimits(socket: string | undefined): string {
  const pid = socket ? socketOwner(socket) : undefined;
  return (pid && read(`/proc/${pid}/limits`)) || read('/proc/self/limits');
}

/** Podman's answer to a create whose name is taken (Docker's is a 409). */
export const nameConflict = (e: { statusCode: number; message: string }): boolean =>
  e.statusCode === 500 && /that name is already in use/.test(e.message);
