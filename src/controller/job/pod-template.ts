// A new pod for a Job: the template, plus identity, owner reference and the tracking finalizer.
import type { Job, Pod } from '../../api/index.js';
import { JOB_TRACKING_FINALIZER } from './pods.js';

export function newPodForJob(job: Job): Pod {
  const t = structuredClone(job.spec.template);
  const m = job.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${m.name}-`,
      namespace: m.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: m.name ?? '', uid: m.uid ?? '', controller: true, blockOwnerDeletion: true }],
      finalizers: [JOB_TRACKING_FINALIZER],
    },
    spec: t.spec,
    status: { phase: 'Pending' },
  };
}
