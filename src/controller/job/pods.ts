// Facts about a Job's pods the controller's rules are written in.
import type { Job, Pod } from '../../api/index.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const isSucceeded = (p: Pod): boolean => p.status?.phase === 'Succeeded';
export const isTerminalPhase = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const isDeleting = (p: Pod): boolean => Boolean(p.metadata.deletionTimestamp);
export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** Pending or Running, and not being deleted. */
export const isActive = (p: Pod): boolean => !isTerminalPhase(p) && !isDeleting(p);

/** Being deleted but not yet stopped. */
export const isTerminating = (p: Pod): boolean => isDeleting(p) && !isTerminalPhase(p);

/** Reference §2.3: Failed, or (TerminatingOrFailed) being deleted without having succeeded. */
export function isFailed(job: Job, p: Pod): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (isSucceeded(p)) return false;
  return isDeleting(p) && job.spec.podReplacementPolicy !== 'Failed';
}

const ms = (t: string | undefined | null): number | undefined => (t ? Date.parse(t) : undefined);

/** When a pod finished: its newest container finish, else its deletion, else its creation. */
export function finishTime(p: Pod): number {
  let latest: number | undefined;
  for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
    const f = ms(s.state.terminated?.finishedAt);
    if (f !== undefined && (latest === undefined || f > latest)) latest = f;
  }
  if (latest !== undefined) return latest;
  const grace = (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  const del = ms(p.metadata.deletionTimestamp);
  if (del !== undefined) return del - grace;
  return ms(p.metadata.creationTimestamp) ?? 0;
}

export function restartCount(p: Pod): number {
  let n = 0;
  for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) n += s.restartCount ?? 0;
  return n;
}
