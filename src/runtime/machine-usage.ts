// The machine's own CPU and memory use, as a kubelet's cAdvisor reads its root cgroup for the
// node's metrics: CPU busy time over a one-second sample of /proc/stat, and the memory working
// set (in use, page cache included, less the inactive file cache) from /proc/meminfo. Only
// meaningful where the engine runs on this machine: the node is then this machine.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MachineUsage {
  cpuNanoCores: number;
  memoryWorkingSetBytes: number;
  /** When the sample ended (RFC 3339). */
  timestamp: string;
  windowMs: number;
}

/** Linux's USER_HZ, the unit of /proc/stat's times (100 on every architecture jobctl runs on). */
const USER_HZ = 100;

/** Busy CPU time so far, all CPUs, in USER_HZ ticks: user, nice, system, irq, softirq, steal. */
async function busyTicks(): Promise<number> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + (irq || 0) + (softirq || 0) + (steal || 0);
}

async function workingSetBytes(): Promise<number> {
  const kib = new Map<string, number>();
  for (const line of (await readFile('/proc/meminfo', 'utf8')).split('\n')) {
    const m = /^([^:]+):\s+(\d+)/.exec(line);
    if (m) kib.set(m[1], Number(m[2]));
  }
  const used = (kib.get('MemTotal') ?? 0) - (kib.get('MemFree') ?? 0);
  return Math.max(0, used - (kib.get('Inactive(file)') ?? 0)) * 1024;
}

/** Samples the machine over `windowMs`. */
export async function machineUsage(windowMs = 1000): Promise<MachineUsage> {
  const before = await busyTicks();
  const start = performance.now();
  await sleep(windowMs);
  const [after, memory] = await Promise.all([busyTicks(), workingSetBytes()]);
  const elapsed = performance.now() - start;
  return {
    cpuNanoCores: Math.max(0, Math.round((((after - before) / USER_HZ) * 1e9 * 1000) / elapsed)),
    memoryWorkingSetBytes: memory,
    timestamp: new Date().toISOString(),
    windowMs: Math.round(elapsed),
  };
}
