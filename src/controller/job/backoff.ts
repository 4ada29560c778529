// The pod re-creation delay (reference §2.5), derived from the pods' stored finish times rather
// than from memory, so a restarted server keeps the back-off it had.
import { podFinishTime, type Job, type Pod } from '../../api/index.js';
import { isFailed, isSucceeded } from './pods.js';

/** Kubernetes' DefaultJobPodFailureBackOff (10 s) and MaxJobPodFailureBackOff (10 min) ratio. */
export const POD_BACKOFF_CAP_FACTOR = 60;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTimeMs?: number;
}

export function computeBackoffRecord(
  job: Job,
  pods: readonly Pod[],
  countsAsFailure: (p: Pod) => boolean = (p) => isFailed(job, p),
): BackoffRecord {
  const failures = pods.filter(countsAsFailure);
  // The common case, and the one a big Job syncs often: no failures, no finish times to read.
  if (failures.length === 0) return { failuresAfterLastSuccess: 0 };
  let lastSuccess = -Infinity;
  for (const p of pods) if (isSucceeded(p)) lastSuccess = Math.max(lastSuccess, podFinishTime(p));
  let count = 0;
  let last: number | undefined;
  for (const p of failures) {
    const t = podFinishTime(p);
    if (t <= lastSuccess) continue;
    count++;
    if (last === undefined || t > last) last = t;
  }
  return { failuresAfterLastSuccess: count, lastFailureTimeMs: last };
}

/** The delay after the last failure: the base doubled per failure since the last success, capped. */
export function backoffDelayMs(record: BackoffRecord, baseMs: number): number {
  if (record.failuresAfterLastSuccess === 0) return 0;
  return Math.min(baseMs * 2 ** (record.failuresAfterLastSuccess - 1), baseMs * POD_BACKOFF_CAP_FACTOR);
}

/** How long, from now, before new pods may be created (0 = now). */
export function computeRemainingBackoffMs(record: BackoffRecord, nowMs: number, baseMs: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTimeMs === undefined) return 0;
  return Math.max(0, record.lastFailureTimeMs + backoffDelayMs(record, baseMs) - nowMs);
}
