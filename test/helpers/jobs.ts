// Shared fixtures for the controller's table tests: a fake clock and Jobs as the server stores them.
import { admitCreate, type Job, type Pod } from '../../src/api/index.js';
import type { Plan } from '../../src/controller/job/decide.js';
import { JOB_TRACKING_FINALIZER, REMOVED_UNCOUNTED } from '../../src/controller/job/pods.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const at = (s: number): Date => new Date(T0 + s * 1000);
export const iso = (s: number): string => at(s).toISOString();
export const CONFIG = { podBackoffBaseMs: 10_000 };

/** A Job named `j` (uid `uid`) created at T0, started at T0 unless `status` says otherwise. */
export function makeJob(
  spec: Partial<Job['spec']> = {},
  status: Job['status'] = {},
  restartPolicy: 'Never' | 'OnFailure' = 'Never',
): Job {
  const { object } = admitCreate(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:1.35' }], restartPolicy } }, ...spec },
    },
    at(0),
    'uid',
  );
  const j = object as Job;
  j.status = { startTime: iso(0), ...status };
  return j;
}

/**
 * The pods as the controller leaves them after a plan's deletions, stopped by the kubelet (phase
 * Failed): an uncounted deletion takes the tracking finalizer off and marks the pod first.
 */
export function stoppedByPlan<P extends Pod>(pods: P[], plan: Plan, s: number): P[] {
  return pods.map((p) => {
    if (!plan.delete.includes(p.metadata.name!)) return p;
    const meta = { ...p.metadata, deletionTimestamp: iso(s) };
    if (plan.uncounted.includes(p.metadata.name!)) {
      meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
      meta.annotations = { ...meta.annotations, [REMOVED_UNCOUNTED]: 'true' };
    }
    return { ...p, metadata: meta, status: { ...p.status, phase: 'Failed' as const } };
  });
}
