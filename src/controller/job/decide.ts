// The Job controller's decision: a pure function of (job, pods, now) returning a plan.
// Follows the sync order of reference §2.1: count, failure checks, then success, then manageJob.
import { toRfc3339, type Condition, type Job, type JobStatus, type Pod } from '../../api/index.js';
import { computeBackoffRecord, computeRemainingBackoffMs } from './backoff.js';
import { hasTrackingFinalizer, isActive, isFailed, isSucceeded, isTerminating, restartCount } from './pods.js';

export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface Plan {
  /** The status to write (undefined: unchanged). */
  status?: JobStatus;
  /** How many new pods to create. */
  create: number;
  /** Pods to delete (graceful). */
  delete: string[];
  /** Finished pods counted by this sync: their tracking finalizer goes in the same write. */
  counted: string[];
  events: JobEvent[];
  /** Sync again after this long (deadline, backoff). */
  requeueAfterMs?: number;
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

export function findCondition(status: JobStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

export function isFinished(job: Job): boolean {
  return Boolean(findCondition(job.status, 'Complete') || findCondition(job.status, 'Failed'));
}

function newCondition(type: string, reason: string, message: string, now: Date): Condition {
  const t = toRfc3339(now);
  return { type, status: 'True', reason, message, lastProbeTime: t, lastTransitionTime: t };
}

/** Least progressed first: pending before running, newer before older. */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (p.status?.phase === 'Running' ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

export function decide(job: Job, pods: Pod[], now: Date, config: DecideConfig): Plan {
  const plan: Plan = { create: 0, delete: [], counted: [], events: [] };
  if (isFinished(job)) return plan;
  const spec = job.spec;
  const status: JobStatus = structuredClone(job.status ?? {});
  const nowMs = now.getTime();

  // Count finished pods that still carry the tracking finalizer, exactly once.
  let succeeded = status.succeeded ?? 0;
  let failed = status.failed ?? 0;
  for (const p of pods) {
    if (!hasTrackingFinalizer(p)) continue;
    if (isSucceeded(p)) succeeded++;
    else if (isFailed(job, p)) failed++;
    else continue;
    plan.counted.push(p.metadata.name!);
  }

  const active = pods.filter(isActive);
  const terminating = pods.filter(isTerminating);
  const suspended = spec.suspend === true;
  if (!status.startTime && !suspended) status.startTime = toRfc3339(now);

  // Interim conditions already reached, else the failure checks, in order.
  let interim: Condition | undefined = findCondition(status, 'SuccessCriteriaMet') ?? findCondition(status, 'FailureTarget');
  if (!interim) {
    const backoffLimit = spec.backoffLimit ?? 6;
    const restarts = spec.template.spec.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + restartCount(p), 0) : 0;
    const restartsExceeded = spec.template.spec.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
    const deadlineMs = spec.activeDeadlineSeconds !== undefined && status.startTime && !suspended ? Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 : undefined;
    if (failed > backoffLimit || restartsExceeded) {
      interim = newCondition('FailureTarget', REASON_BACKOFF_LIMIT, MESSAGE_BACKOFF_LIMIT, now);
    } else if (deadlineMs !== undefined && nowMs >= deadlineMs) {
      interim = newCondition('FailureTarget', REASON_DEADLINE, MESSAGE_DEADLINE, now);
    } else if (deadlineMs !== undefined) {
      plan.requeueAfterMs = deadlineMs - nowMs;
    }
    if (interim) (status.conditions ??= []).push(interim);
  }

  let activeCount = active.length;
  if (interim) {
    // Finishing: stop whatever still runs (for a success, the lingering pods).
    plan.delete.push(...active.map((p) => p.metadata.name!));
    activeCount = 0;
  } else {
    const completions = spec.completions ?? null;
    if (suspended) {
      plan.delete.push(...active.map((p) => p.metadata.name!));
      activeCount = 0;
    } else {
      const parallelism = spec.parallelism ?? 1;
      const wantActive = completions === null ? (succeeded > 0 ? activeCount : parallelism) : Math.max(0, Math.min(completions - succeeded, parallelism));
      if (activeCount > wantActive) {
        const extra = [...active].sort(deletionOrder).slice(0, activeCount - wantActive);
        plan.delete.push(...extra.map((p) => p.metadata.name!));
        activeCount -= extra.length;
      } else {
        const waitForTerminal = spec.podReplacementPolicy === 'Failed' ? terminating.length : 0;
        const missing = wantActive - activeCount - waitForTerminal;
        if (missing > 0) {
          const remaining = computeRemainingBackoffMs(computeBackoffRecord(job, pods), nowMs, config.podBackoffBaseMs);
          if (remaining > 0) {
            plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, remaining);
          } else {
            plan.create = missing;
            activeCount += missing;
          }
        }
      }
    }
    const complete = completions === null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
    if (complete) {
      interim = newCondition('SuccessCriteriaMet', REASON_COMPLETIONS, MESSAGE_COMPLETIONS, now);
      (status.conditions ??= []).push(interim);
      if (completions !== null && succeeded > completions) {
        plan.events.push({ type: 'Warning', reason: 'TooManySucceededPods', message: 'Too many succeeded pods running after completion count reached' });
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
  status.active = finished ? 0 : active.length - active.filter((p) => plan.delete.includes(p.metadata.name!)).length;
  status.ready = finished ? 0 : active.filter((p) => !plan.delete.includes(p.metadata.name!) && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  status.terminating = terminating.length + plan.delete.length;
  if (finished) status.terminating = 0;
  status.uncountedTerminatedPods = {};
  if (!status.succeeded) delete status.succeeded;
  if (!status.failed) delete status.failed;
  if (!status.active) delete status.active;
  if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) plan.status = status;
  return plan;
}
