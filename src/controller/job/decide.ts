// The Job controller's decision: a pure function of (job, pods, now) returning a plan.
// Follows the sync order of reference §2.1: count, failure checks, then success, then manageJob.
import {
  formatIndexes,
  parseIndexes,
  toRfc3339,
  type Condition,
  type Job,
  type JobStatus,
  type Pod,
} from '../../api/index.js';

import { matchPodFailurePolicy } from './failure-policy.js';
import { isIndexed, podIndex, podIndexFailureCount } from './indexed.js';
import {
  hasTrackingFinalizer,
  isActive,
  isDeleting,
  isFailed,
  isSucceeded,
  isTerminating,
  restartCount,
} from './pods.js';
import { matchSuccessPolicy } from './success-policy.js';
import { manageIndexed, manageNonIndexed, removePods } from './manage.js';

export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** A pod to create: its completion index (Indexed jobs) and failure counts carried over. */
export interface PodToCreate {
  index?: number;
  failureCount?: number;
  ignoredFailureCount?: number;
}

export interface Plan {
  /** The status to write (undefined: unchanged). */
  status?: JobStatus;
  /** New pods to create. */
  create: PodToCreate[];
  /** Pods to delete (graceful). */
  delete: string[];
  /**
   * Those of `delete` that are removed without being counted, their tracking finalizer taken off
   * first, as Kubernetes' deleteJobPods does: a scale-down, a duplicate or out-of-range index, a
   * suspension, the lingering pods of a met success criterion. The rest (a Job being failed) keep
   * their finalizer and count as failed once they stop.
   */
  uncounted: string[];
  /** Finished pods counted by this sync: their tracking finalizer goes in the same write. */
  counted: string[];
  events: JobEvent[];
  /** Sync again after this long (deadline, backoff). */
  requeueAfterMs?: number;
  /** Pods wanted and held back by the re-creation back-off: the soonest to end (an index's, per index). */
  backoff?: { remainingMs: number; failures: number; delayMs: number; index?: number };
}

export interface DecideConfig {
  podBackoffBaseMs: number;
}

export const REASON_BACKOFF_LIMIT = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF_LIMIT = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MESSAGE_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_COMPLETIONS = 'CompletionsReached';
export const MESSAGE_COMPLETIONS = 'Reached expected number of succeeded pods';
export const REASON_MAX_FAILED_INDEXES = 'MaxFailedIndexesExceeded';
export const MESSAGE_MAX_FAILED_INDEXES = 'Job has exceeded the specified maximal number of failed indexes';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const MESSAGE_FAILED_INDEXES = 'Job has failed indexes';

export function findCondition(status: JobStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

export function isFinished(job: Job): boolean {
  return Boolean(findCondition(job.status, 'Complete') || findCondition(job.status, 'Failed'));
}

function newCondition(
  type: string,
  reason: string,
  message: string,
  now: Date,
  status: 'True' | 'False' = 'True',
): Condition {
  const t = toRfc3339(now);
  return { type, status, reason, message, lastProbeTime: t, lastTransitionTime: t };
}

const parseSet = (text: string | undefined, completions: number): Set<number> => {
  try {
    return new Set(parseIndexes(text ?? '', Math.max(completions, 1 << 30)));
  } catch {
    return new Set();
  }
};

export function decide(job: Job, pods: readonly Pod[], now: Date, config: DecideConfig): Plan {
  const plan: Plan = { create: [], delete: [], uncounted: [], counted: [], events: [] };
  if (isFinished(job)) return plan;
  const spec = job.spec;
  const status: JobStatus = structuredClone(job.status ?? {});
  const nowMs = now.getTime();
  const indexed = isIndexed(job);
  const completions = spec.completions ?? null;
  const perIndex = indexed && spec.backoffLimitPerIndex !== undefined;
  const suspended = spec.suspend === true;

  // Which failures count: not the pods removed uncounted (isFailed), not Ignore-matched.
  const pfpCache = new Map<string, ReturnType<typeof matchPodFailurePolicy>>();
  const pfp = (p: Pod) => {
    if (!spec.podFailurePolicy) return undefined;
    if (!pfpCache.has(p.metadata.name!)) pfpCache.set(p.metadata.name!, matchPodFailurePolicy(job, p));
    return pfpCache.get(p.metadata.name!);
  };
  const countsAsFailure = (p: Pod) => isFailed(job, p) && pfp(p)?.action !== 'Ignore';

  // Count finished pods that still carry the tracking finalizer, exactly once.
  let succeeded = status.succeeded ?? 0;
  let failed = status.failed ?? 0;
  const completedIdx = indexed ? parseSet(status.completedIndexes, completions ?? 0) : new Set<number>();
  const failedIdx = perIndex ? parseSet(status.failedIndexes, completions ?? 0) : new Set<number>();
  let failJobMessage: string | undefined;
  for (const p of pods) {
    if (!hasTrackingFinalizer(p)) continue;
    if (isSucceeded(p)) {
      const i = podIndex(p);
      if (!indexed) succeeded++;
      else if (i !== undefined && i < (completions ?? 0)) completedIdx.add(i);
    } else if (isFailed(job, p)) {
      const match = pfp(p);
      if (match?.action !== 'Ignore') {
        failed++;
        const i = podIndex(p);
        if (match?.action === 'FailJob') failJobMessage ??= match.message;
        else if (
          perIndex &&
          i !== undefined &&
          (match?.action === 'FailIndex' || podIndexFailureCount(p) >= spec.backoffLimitPerIndex!)
        )
          failedIdx.add(i);
      }
    } else if (!(isDeleting(p) && !isTerminating(p))) {
      continue; // still running; a stopped pod not counted as a failure only loses its finalizer
    }
    plan.counted.push(p.metadata.name!);
  }
  if (indexed) {
    for (const i of failedIdx) completedIdx.delete(i);
    succeeded = completedIdx.size;
    status.completedIndexes = formatIndexes(completedIdx);
    if (perIndex) status.failedIndexes = formatIndexes(failedIdx);
  }

  const active = pods.filter(isActive);
  const terminating = pods.filter(isTerminating);

  // Suspension and resumption (§2.7).
  const suspendedCond = status.conditions?.find((c) => c.type === 'Suspended');
  if (suspended && suspendedCond?.status !== 'True') {
    const c = newCondition('Suspended', 'JobSuspended', 'Job suspended', now);
    if (suspendedCond) Object.assign(suspendedCond, c);
    else (status.conditions ??= []).push(c);
    plan.events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
  } else if (!suspended && suspendedCond?.status === 'True') {
    Object.assign(suspendedCond, newCondition('Suspended', 'JobResumed', 'Job resumed', now, 'False'));
    plan.events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    status.startTime = toRfc3339(now);
  }
  if (!status.startTime && !suspended) status.startTime = toRfc3339(now);

  // Interim conditions already reached, else the failure checks, in order.
  let interim: Condition | undefined =
    findCondition(status, 'SuccessCriteriaMet') ?? findCondition(status, 'FailureTarget');
  const fail = (reason: string, message: string) => {
    interim = newCondition('FailureTarget', reason, message, now);
    (status.conditions ??= []).push(interim);
  };
  if (!interim) {
    const backoffLimit = spec.backoffLimit ?? 6;
    const onFailure = spec.template.spec.restartPolicy === 'OnFailure';
    const restarts = onFailure ? active.reduce((n, p) => n + restartCount(p), 0) : 0;
    const restartsExceeded = onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
    const deadlineMs =
      spec.activeDeadlineSeconds !== undefined && status.startTime && !suspended
        ? Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000
        : undefined;
    if (failJobMessage) fail('PodFailurePolicy', failJobMessage);
    else if (failed > backoffLimit || restartsExceeded) fail(REASON_BACKOFF_LIMIT, MESSAGE_BACKOFF_LIMIT);
    else if (perIndex && spec.maxFailedIndexes !== undefined && failedIdx.size > spec.maxFailedIndexes)
      fail(REASON_MAX_FAILED_INDEXES, MESSAGE_MAX_FAILED_INDEXES);
    else if (deadlineMs !== undefined && nowMs >= deadlineMs) fail(REASON_DEADLINE, MESSAGE_DEADLINE);
    else if (deadlineMs !== undefined) plan.requeueAfterMs = deadlineMs - nowMs;
    if (!interim && indexed && completions !== null) {
      if (perIndex && failedIdx.size > 0 && completedIdx.size + failedIdx.size >= completions)
        fail(REASON_FAILED_INDEXES, MESSAGE_FAILED_INDEXES);
      else if (spec.successPolicy) {
        const rule = matchSuccessPolicy(job, completedIdx);
        if (rule !== undefined) {
          interim = newCondition('SuccessCriteriaMet', 'SuccessPolicy', `Matched rules at index ${rule}`, now);
          (status.conditions ??= []).push(interim);
        }
      }
    }
  }

  let activeCount = active.length;
  if (interim) {
    // Finishing: stop whatever still runs. A failure counts them; a success only stops them.
    removePods(plan, active, interim.type === 'SuccessCriteriaMet');
    activeCount = 0;
  } else if (suspended) {
    removePods(plan, active, true);
    activeCount = 0;
  } else {
    activeCount = indexed
      ? manageIndexed(job, pods, active, terminating, completedIdx, failedIdx, nowMs, config, plan, countsAsFailure)
      : manageNonIndexed(job, pods, active, terminating, succeeded, nowMs, config, plan, countsAsFailure);
    const complete =
      completions === null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
    if (complete) {
      interim = newCondition('SuccessCriteriaMet', REASON_COMPLETIONS, MESSAGE_COMPLETIONS, now);
      (status.conditions ??= []).push(interim);
      if (completions !== null && succeeded > completions) {
        plan.events.push({
          type: 'Warning',
          reason: 'TooManySucceededPods',
          message: 'Too many succeeded pods running after completion count reached',
        });
      }
    }
  }

  // The terminal condition, once every pod has stopped and been counted.
  const stillRunning = activeCount > 0 || plan.delete.length > 0 || terminating.length > 0;
  if (interim && !stillRunning) {
    const success = interim.type === 'SuccessCriteriaMet';
    const terminal = newCondition(success ? 'Complete' : 'Failed', interim.reason ?? '', interim.message ?? '', now);
    status.conditions!.push(terminal);
    if (success) {
      status.completionTime = terminal.lastTransitionTime;
      plan.events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
    } else {
      plan.events.push({ type: 'Warning', reason: interim.reason ?? 'Failed', message: interim.message ?? '' });
    }
    delete plan.requeueAfterMs;
  }

  status.succeeded = succeeded;
  status.failed = failed;
  const finished = Boolean(findCondition(status, 'Complete') || findCondition(status, 'Failed'));
  const remaining = active.filter((p) => !plan.delete.includes(p.metadata.name!));
  // As Kubernetes' manageJob: the pods this sync creates are active from now on.
  status.active = finished ? 0 : activeCount;
  status.ready = finished
    ? 0
    : remaining.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  status.terminating = finished ? 0 : terminating.length + plan.delete.length;
  status.uncountedTerminatedPods = {};
  if (!status.succeeded) delete status.succeeded;
  if (!status.failed) delete status.failed;
  if (!status.active) delete status.active;
  if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) plan.status = status;
  return plan;
}
