// manageJob (reference §2.2): how many pods should run, which to create (the lowest pending
// indexes first) and which to remove (least progressed first), within the re-creation back-off.
import type { Job, Pod } from '../../api/index.js';
import { backoffDelayMs, computeBackoffRecord, computeRemainingBackoffMs } from './backoff.js';
import type { DecideConfig, Plan, PodToCreate } from './decide.js';
import { lowestPending, podIndex, podIndexFailureCount, podIndexIgnoredCount } from './indexed.js';
import { isFailed } from './pods.js';

/** Least progressed first: pending before running, newer before older. */
export function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (p.status?.phase === 'Running' ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

/** Whether the re-creation back-off of these pods' failures still holds; if so, the sync is requeued for its end. */
function backingOff(
  job: Job,
  pods: readonly Pod[],
  countsAsFailure: (p: Pod) => boolean,
  nowMs: number,
  config: DecideConfig,
  plan: Plan,
  index?: number,
): boolean {
  const record = computeBackoffRecord(job, pods, countsAsFailure);
  const remaining = computeRemainingBackoffMs(record, nowMs, config.podBackoffBaseMs);
  if (remaining <= 0) return false;
  if (!plan.backoff || remaining < plan.backoff.remainingMs) {
    plan.backoff = {
      remainingMs: remaining,
      failures: record.failuresAfterLastSuccess,
      delayMs: backoffDelayMs(record, config.podBackoffBaseMs),
      ...(index === undefined ? {} : { index }),
    };
  }
  plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, remaining);
  return true;
}

export function removePods(plan: Plan, pods: readonly Pod[], uncounted: boolean): void {
  const names = pods.map((p) => p.metadata.name!);
  plan.delete.push(...names);
  if (uncounted) plan.uncounted.push(...names);
}

export function manageNonIndexed(
  job: Job,
  pods: readonly Pod[],
  active: Pod[],
  terminating: Pod[],
  succeeded: number,
  nowMs: number,
  config: DecideConfig,
  plan: Plan,
  countsAsFailure: (p: Pod) => boolean,
): number {
  const spec = job.spec;
  const completions = spec.completions ?? null;
  const parallelism = spec.parallelism ?? 1;
  let activeCount = active.length;
  const wantActive =
    completions === null
      ? succeeded > 0
        ? activeCount
        : parallelism
      : Math.max(0, Math.min(completions - succeeded, parallelism));
  if (activeCount > wantActive) {
    const extra = [...active].sort(deletionOrder).slice(0, activeCount - wantActive);
    removePods(plan, extra, true);
    return activeCount - extra.length;
  }
  const waitForTerminal = spec.podReplacementPolicy === 'Failed' ? terminating.length : 0;
  const missing = wantActive - activeCount - waitForTerminal;
  if (missing <= 0) return activeCount;
  if (backingOff(job, pods, countsAsFailure, nowMs, config, plan)) return activeCount;
  for (let i = 0; i < missing; i++) plan.create.push({});
  activeCount += missing;
  return activeCount;
}

export function manageIndexed(
  job: Job,
  pods: readonly Pod[],
  active: Pod[],
  terminating: Pod[],
  completed: Set<number>,
  failedIdx: Set<number>,
  nowMs: number,
  config: DecideConfig,
  plan: Plan,
  countsAsFailure: (p: Pod) => boolean,
): number {
  const spec = job.spec;
  const completions = spec.completions ?? 0;
  const parallelism = spec.parallelism ?? 1;
  // Pods without a valid index, of an index already done or failed, or duplicates: delete.
  const byIndex = new Map<number, Pod[]>();
  const drop: Pod[] = [];
  for (const p of active) {
    const i = podIndex(p);
    if (i === undefined || i >= completions || completed.has(i) || failedIdx.has(i)) drop.push(p);
    else byIndex.set(i, [...(byIndex.get(i) ?? []), p]);
  }
  for (const list of byIndex.values()) {
    if (list.length > 1) drop.push(...[...list].sort(deletionOrder).slice(0, list.length - 1));
  }
  let activeCount = active.length - drop.length;
  removePods(plan, drop, true);
  if (drop.length) return activeCount; // deletion and creation never happen in the same sync
  const busy = new Set(byIndex.keys());
  const waitingFor = new Set(
    spec.podReplacementPolicy === 'Failed' ? terminating.map(podIndex).filter((i): i is number => i !== undefined) : [],
  );
  const pendingCount = completions - completed.size - failedIdx.size - busy.size;
  const wantActive = Math.min(parallelism, busy.size + Math.max(0, pendingCount));
  let missing = wantActive - activeCount;
  if (missing <= 0) return activeCount;
  const perIndex = spec.backoffLimitPerIndex !== undefined;
  if (!perIndex && backingOff(job, pods, countsAsFailure, nowMs, config, plan)) return activeCount;
  // Per index only: grouped once (a large Indexed job would otherwise rescan every pod for each
  // pending index), and not at all without a per-index limit.
  const podsByIndex = new Map<number, Pod[]>();
  if (perIndex) {
    for (const p of pods) {
      const i = podIndex(p);
      if (i === undefined) continue;
      const list = podsByIndex.get(i);
      if (list) list.push(p);
      else podsByIndex.set(i, [p]);
    }
  }
  const wanted = perIndex ? completions : missing; // per index, some may be backing off
  for (const i of lowestPending(completions, wanted, [completed, failedIdx, busy, waitingFor])) {
    if (missing <= 0) break;
    const ofIndex = podsByIndex.get(i) ?? [];
    if (perIndex && backingOff(job, ofIndex, countsAsFailure, nowMs, config, plan, i)) continue;
    plan.create.push(perIndex ? { index: i, ...carriedCounts(job, ofIndex, countsAsFailure) } : { index: i });
    missing--;
    activeCount++;
  }
  return activeCount;
}

/**
 * The failure counts a replacement pod of one index carries (annotations of §2.10): the most any
 * earlier pod of the index carried plus its own failure, and never fewer than the failures seen.
 */
function carriedCounts(
  job: Job,
  ofIndex: readonly Pod[],
  countsAsFailure: (p: Pod) => boolean,
): Pick<PodToCreate, 'failureCount' | 'ignoredFailureCount'> {
  let failureCount = ofIndex.filter(countsAsFailure).length;
  let ignored = 0;
  for (const p of ofIndex) {
    failureCount = Math.max(failureCount, podIndexFailureCount(p) + (countsAsFailure(p) ? 1 : 0));
    if (isFailed(job, p) && !countsAsFailure(p)) ignored++;
  }
  const ignoredFailureCount = Math.max(ignored, ...ofIndex.map(podIndexIgnoredCount));
  return ignoredFailureCount ? { failureCount, ignoredFailureCount } : { failureCount };
}
