// Facts about a Job's pods the controller's rules are written in.
import type { Job, Pod } from '../../api/index.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/**
 * Marks a pod the Job controller deleted without counting it (a scale-down, a duplicate or
 * out-of-range index, a suspension, the lingering pods of a met success policy): Kubernetes
 * removes such a pod's tracking finalizer before deleting it, so it is never a failure, and its
 * in-memory back-off record never sees it. jobctl derives the back-off from the stored pods, so
 * the pod says so itself until it is gone.
 */
export const REMOVED_UNCOUNTED = 'jobctl.io/removed-uncounted';

export const isSucceeded = (p: Pod): boolean => p.status?.phase === 'Succeeded';
export const isTerminalPhase = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const isDeleting = (p: Pod): boolean => Boolean(p.metadata.deletionTimestamp);
export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** Pending or Running, and not being deleted. */
export const isActive = (p: Pod): boolean => !isTerminalPhase(p) && !isDeleting(p);

/** Being deleted but not yet stopped. */
export const isTerminating = (p: Pod): boolean => isDeleting(p) && !isTerminalPhase(p);

export const isRemovedUncounted = (p: Pod): boolean => p.metadata.annotations?.[REMOVED_UNCOUNTED] !== undefined;

/**
 * Reference §2.3: Failed, or (TerminatingOrFailed) being deleted without having succeeded; never
 * a pod the controller itself removed without counting.
 */
export function isFailed(job: Job, p: Pod): boolean {
  if (isRemovedUncounted(p)) return false;
  if (p.status?.phase === 'Failed') return true;
  if (isSucceeded(p)) return false;
  return isDeleting(p) && job.spec.podReplacementPolicy !== 'Failed';
}

export function restartCount(p: Pod): number {
  let n = 0;
  for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])])
    n += s.restartCount ?? 0;
  return n;
}
