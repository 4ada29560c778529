// Captured container output: one file per container run, `<ts> <stream> <line>` per line, kept
// while the pod exists (the current run and the one before it), like the kubelet's log files.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function podLogDir(root: string, namespace: string, pod: string, uid: string): string {
  return join(root, `${namespace}_${pod}_${uid}`);
}

export function containerLogFile(
  root: string,
  namespace: string,
  pod: string,
  uid: string,
  container: string,
  restart: number,
): string {
  return join(podLogDir(root, namespace, pod, uid), container, `${restart}.log`);
}

export function ensureContainerLogDir(
  root: string,
  namespace: string,
  pod: string,
  uid: string,
  container: string,
): void {
  mkdirSync(join(podLogDir(root, namespace, pod, uid), container), { recursive: true, mode: 0o700 });
}

/** Keeps only the newest two runs of a container. */
export function pruneOldRuns(
  root: string,
  namespace: string,
  pod: string,
  uid: string,
  container: string,
  current: number,
): void {
  if (current < 2) return;
  const dir = join(podLogDir(root, namespace, pod, uid), container);
  for (const f of safeReaddir(dir)) {
    const n = Number.parseInt(f, 10);
    if (Number.isFinite(n) && n < current - 1) rmSync(join(dir, f), { force: true });
  }
}

export function removePodLogs(root: string, namespace: string, pod: string, uid: string): void {
  rmSync(podLogDir(root, namespace, pod, uid), { recursive: true, force: true });
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
