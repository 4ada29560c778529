// Captured container output: one file per container run, `<ts> <stream> <line>` per line, like
// the kubelet's log files; kept with the run's record (run-records.ts) until the pod's Job goes.
import { mkdirSync, rmSync } from 'node:fs';
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

export function removePodLogs(root: string, namespace: string, pod: string, uid: string): void {
  rmSync(podLogDir(root, namespace, pod, uid), { recursive: true, force: true });
}
