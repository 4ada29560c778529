// A new pod for a Job: the template, plus identity, owner reference, the tracking finalizer and,
// for Indexed jobs, the index (label, annotation, hostname, JOB_COMPLETION_INDEX) (reference §4.1, §2.9).
import type { Container, Job, Pod } from '../../api/index.js';
import type { PodToCreate } from './decide.js';
import { INDEX_FAILURE_COUNT, INDEX_IGNORED_FAILURE_COUNT, INDEX_KEY } from './indexed.js';
import { JOB_TRACKING_FINALIZER } from './pods.js';

function withIndexEnv(c: Container): Container {
  if ((c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) return c;
  return {
    ...c,
    env: [
      ...(c.env ?? []),
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${INDEX_KEY}']` } },
      },
    ],
  };
}

export function newPodForJob(job: Job, want: PodToCreate = {}): Pod {
  const t = structuredClone(job.spec.template);
  const m = job.metadata;
  const labels = { ...(t.metadata?.labels ?? {}) };
  const annotations = { ...(t.metadata?.annotations ?? {}) };
  const spec = t.spec;
  let generateName = `${m.name}-`;
  if (want.index !== undefined) {
    const i = String(want.index);
    labels[INDEX_KEY] = i;
    annotations[INDEX_KEY] = i;
    if (want.failureCount !== undefined) annotations[INDEX_FAILURE_COUNT] = String(want.failureCount);
    if (want.ignoredFailureCount) annotations[INDEX_IGNORED_FAILURE_COUNT] = String(want.ignoredFailureCount);
    spec.hostname = `${m.name}-${i}`;
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
    // Cut the job name, keep the `-<index>-` suffix, as the controller does.
    const suffix = `-${i}-`;
    generateName = `${(m.name ?? '').slice(0, Math.max(0, 58 - suffix.length))}${suffix}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: m.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: m.name ?? '',
          uid: m.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      finalizers: [JOB_TRACKING_FINALIZER],
    },
    spec,
    status: { phase: 'Pending' },
  };
}
