// Every run of a Job's containers, kept until the Job is deleted (issue 18): beside each run's
// output file (log-files.ts), for a run that restarts push out of the pod's status, its record
// (`<restart>.json`: how it ended; the pod's status has the others), and in the pod's folder
// `pod.json` (the pod as first met; once the pod is deleted, the pod as it ended, "archived"). A
// pod that prints nothing and never restarts costs no file until it is deleted. A
// Job's kept output is bounded by a cap: past it, the oldest runs' output is dropped, each leaving
// a `<restart>.dropped` note of what went. The current and previous run of a pod that exists
// (what `logs` and `logs --previous` read) are never dropped.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStateTerminated, Pod } from '../api/index.js';
import { podLogDir } from './log-files.js';

/** How one run of a container ended (the container status's `terminated`, with its place). */
export interface RunRecord {
  container: string;
  init?: boolean;
  restart: number;
  exitCode: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** One run's files: its record (once it ended), its output's size, and what the cap dropped. */
export interface RunFiles {
  container: string;
  restart: number;
  record?: RunRecord;
  logBytes: number;
  dropped?: { bytes: number; capBytes: number };
}

export interface PodRuns {
  /** The pod: as first met, or as it ended once deleted (`archived`). */
  pod?: Pod;
  archived: boolean;
  runs: RunFiles[];
}

/** The Job a pod belongs to (its controller), if any. */
export function controllingJob(pod: Pod): { name: string; uid: string } | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Job');
  return ref ? { name: ref.name, uid: ref.uid } : undefined;
}

/** Pod names a Job's controller makes begin with this (generateName, cut as Kubernetes cuts it). */
export const jobPodPrefix = (jobName: string): string => `${jobName}-`.slice(0, 58);

function dirOf(root: string, pod: Pod): string {
  const m = pod.metadata;
  return podLogDir(root, m.namespace ?? '', m.name ?? '', m.uid ?? '');
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The pod's folder, with its `pod.json` (the pod's identity and owner) if not there yet. */
export function ensurePodRecord(root: string, pod: Pod): void {
  const dir = dirOf(root, pod);
  const file = join(dir, 'pod.json');
  try {
    statSync(file);
    return;
  } catch {
    /* first run of this pod */
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const m = pod.metadata;
  const identity = {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      labels: m.labels,
      annotations: m.annotations,
      ownerReferences: m.ownerReferences,
      creationTimestamp: m.creationTimestamp,
    },
    spec: pod.spec,
  };
  writeJson(file, { archived: false, pod: identity });
}

export function writeRunRecord(
  root: string,
  pod: Pod,
  container: string,
  init: boolean,
  restart: number,
  term: ContainerStateTerminated,
): void {
  const { exitCode, reason, message, startedAt, finishedAt } = term;
  const record: RunRecord = {
    container,
    ...(init ? { init } : {}),
    restart,
    exitCode,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    startedAt,
    finishedAt,
  };
  ensurePodRecord(root, pod);
  const dir = join(dirOf(root, pod), record.container);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeJson(join(dir, `${record.restart}.json`), record);
}

/** A deleted pod of a Job that still exists: its runs stay, with the pod as it ended. */
export function archivePod(root: string, pod: Pod): void {
  ensurePodRecord(root, pod);
  writeJson(join(dirOf(root, pod), 'pod.json'), { archived: true, pod });
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** What is kept of one pod (by its folder's name, `<namespace>_<pod>_<uid>`). */
export function readPodRuns(root: string, dirName: string): PodRuns {
  const dir = join(root, dirName);
  const head = readJson<{ archived: boolean; pod: Pod }>(join(dir, 'pod.json'));
  const runs: RunFiles[] = [];
  for (const container of safeReaddir(dir)) {
    if (container === 'pod.json') continue;
    const restarts = new Set<number>();
    for (const f of safeReaddir(join(dir, container))) {
      const n = Number.parseInt(f, 10);
      if (Number.isInteger(n) && n >= 0) restarts.add(n);
    }
    for (const restart of [...restarts].sort((a, b) => a - b)) {
      const base = join(dir, container, String(restart));
      runs.push({
        container,
        restart,
        record: readJson<RunRecord>(`${base}.json`),
        logBytes: sizeOf(`${base}.log`),
        dropped: readJson(`${base}.dropped`),
      });
    }
  }
  return { pod: head?.pod, archived: head?.archived ?? false, runs };
}

/** The folders kept for a Job's pods (live and archived), found by name and checked by owner. */
export function jobPodDirs(root: string, namespace: string, jobName: string, jobUid: string): string[] {
  const prefix = `${namespace}_${jobPodPrefix(jobName)}`;
  return safeReaddir(root).filter((d) => {
    if (!d.startsWith(prefix)) return false;
    const head = readJson<{ pod: Pod }>(join(root, d, 'pod.json'));
    return head !== undefined && controllingJob(head.pod)?.uid === jobUid;
  });
}

/** The folders kept of pods of this name (one per pod of that name, by uid). */
export const podDirsNamed = (root: string, namespace: string, name: string): string[] =>
  safeReaddir(root).filter((d) => d.startsWith(`${namespace}_${name}_`));

/** The uid at the end of a pod folder's name. */
export const uidOfDir = (d: string): string => d.slice(d.lastIndexOf('_') + 1);

/** Removes the archived pods of a deleted Job. */
export function removeJobRuns(root: string, namespace: string, jobName: string, jobUid: string): void {
  for (const d of jobPodDirs(root, namespace, jobName, jobUid)) {
    if (readJson<{ archived: boolean }>(join(root, d, 'pod.json'))?.archived)
      rmSync(join(root, d), { recursive: true, force: true });
  }
}

/**
 * Start-up clean-up of what a crash left: folders of pods that no longer exist, unless archived
 * for a Job that still does.
 */
export function sweepRuns(
  root: string,
  livePodUids: ReadonlySet<string>,
  jobExists: (namespace: string, name: string, uid: string) => boolean,
): void {
  for (const d of safeReaddir(root)) {
    if (livePodUids.has(uidOfDir(d))) continue;
    const head = readJson<{ archived: boolean; pod: Pod }>(join(root, d, 'pod.json'));
    const job = head?.archived ? controllingJob(head.pod) : undefined;
    if (job && jobExists(head!.pod.metadata.namespace ?? '', job.name, job.uid)) continue;
    rmSync(join(root, d), { recursive: true, force: true });
  }
}

/** The bytes of output kept for a Job. */
export function jobLogBytes(root: string, dirs: readonly string[]): number {
  let n = 0;
  for (const d of dirs) for (const r of readPodRuns(root, d).runs) n += r.logBytes;
  return n;
}

/**
 * Drops the oldest runs' output until the Job's kept output fits `capBytes` (never the current
 * and previous run of a pod that exists); returns the bytes then kept.
 */
export function enforceJobLogCap(root: string, dirs: readonly string[], capBytes: number): number {
  const candidates: { file: string; bytes: number; mtimeMs: number }[] = [];
  let total = 0;
  for (const d of dirs) {
    const kept = readPodRuns(root, d);
    const newest = new Map<string, number>();
    for (const r of kept.runs) newest.set(r.container, Math.max(newest.get(r.container) ?? 0, r.restart));
    for (const r of kept.runs) {
      if (!r.logBytes) continue;
      total += r.logBytes;
      if (!kept.archived && r.restart >= (newest.get(r.container) ?? 0) - 1) continue;
      const file = join(root, d, r.container, `${r.restart}.log`);
      candidates.push({ file, bytes: r.logBytes, mtimeMs: statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 });
    }
  }
  candidates.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const c of candidates) {
    if (total <= capBytes) break;
    writeJson(c.file.replace(/\.log$/, '.dropped'), { bytes: c.bytes, capBytes });
    rmSync(c.file, { force: true });
    total -= c.bytes;
  }
  return total;
}
