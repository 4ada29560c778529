// Jobs: admitted with the API server's defaults and validation; an update may change what
// Kubernetes lets change (the rest is immutable), and bumps the generation when the spec changes;
// the status subresource takes status writes, validated as Kubernetes 1.32 does.
import {
  admitCreate,
  defaultJob,
  invalidError,
  validateJobStatusUpdate,
  validateJobUpdate,
  type Admitted,
  type Job,
} from '../../api/index.js';
import type { Strategy } from '../strategy.js';

export const jobStrategy: Strategy<Job> = {
  kind: 'Job',
  clientWritable: true,
  admitCreate: (obj, now, uid) => admitCreate(obj, now, uid) as Admitted<Job>,
  update(body, old) {
    const next = structuredClone(old);
    next.metadata.labels = body.metadata?.labels;
    next.metadata.annotations = body.metadata?.annotations;
    next.spec = defaultJob(structuredClone(body)).spec;
    const errs = validateJobUpdate(next, old);
    if (errs.length) throw invalidError('Job', 'batch', old.metadata.name ?? '', errs);
    if (JSON.stringify(next.spec) !== JSON.stringify(old.spec))
      next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    return next;
  },
  updateStatus(body, old) {
    const next = structuredClone(old);
    next.status = body.status ?? {};
    const errs = validateJobStatusUpdate(next, old);
    if (errs.length) throw invalidError('Job', 'batch', old.metadata.name ?? '', errs);
    return next;
  },
};
