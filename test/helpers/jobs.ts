// Shared fixtures for the controller's table tests: a fake clock and Jobs as the server stores them.
import { admitCreate, type Job } from '../../src/api/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const at = (s: number): Date => new Date(T0 + s * 1000);
export const iso = (s: number): string => at(s).toISOString();
export const CONFIG = { podBackoffBaseMs: 10_000 };

/** A Job named `j` (uid `uid`) created at T0, started at T0 unless `status` says otherwise. */
export function makeJob(spec: Partial<Job['spec']> = {}, status: Job['status'] = {}, restartPolicy: 'Never' | 'OnFailure' = 'Never'): Job {
  const { object } = admitCreate(
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:1.35' }], restartPolicy } }, ...spec } },
    at(0),
    'uid',
  );
  const j = object as Job;
  j.status = { startTime: iso(0), ...status };
  return j;
}
