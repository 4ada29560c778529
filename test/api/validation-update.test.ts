// Update validation (reference §1.6): immutable fields, and the template's scheduling directives
// that a suspended, never-started Job may change (Kubernetes' mutable scheduling directives).
import { describe, expect, it } from 'vitest';
import { validateJobUpdate, type Job } from '../../src/api/index.js';
import { iso, makeJob } from '../helpers/jobs.js';

const suspendedNeverStarted = (): Job => {
  const j = makeJob({ suspend: true }, {});
  delete j.status!.startTime;
  return j;
};

function changed(old: Job, edit: (t: Job['spec']['template'], j: Job) => void): Job {
  const next = structuredClone(old);
  edit(next.spec.template, next);
  return next;
}

const messages = (next: Job, old: Job) => validateJobUpdate(next, old).map((e) => `${e.field}: ${e.detail ?? ''}`);

const EDITS: [string, (t: Job['spec']['template']) => void][] = [
  ['nodeSelector', (t) => (t.spec.nodeSelector = { disk: 'ssd' })],
  ['tolerations', (t) => (t.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }])],
  [
    'node affinity',
    (t) =>
      (t.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
          },
        },
      }),
  ],
  ['schedulingGates', (t) => (t.spec.schedulingGates = [{ name: 'example.com/gate' }])],
  ['template labels', (t) => (t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, team: 'a' } })],
  ['template annotations', (t) => (t.metadata = { ...t.metadata, annotations: { note: 'x' } })],
];

describe('mutable scheduling directives', () => {
  it.each(EDITS)('a suspended Job that never started accepts a new %s', (_what, edit) => {
    const old = suspendedNeverStarted();
    expect(messages(changed(old, edit), old)).toEqual([]);
  });

  it.each(EDITS)('the same %s change is refused once the Job has started', (_what, edit) => {
    const old = makeJob({ suspend: true }, { startTime: iso(0) });
    expect(messages(changed(old, edit), old)).toEqual(['spec.template: field is immutable']);
  });

  it('is refused for a running Job', () => {
    const old = makeJob({}, { startTime: iso(0) });
    expect(
      messages(
        changed(old, (t) => (t.spec.nodeSelector = { disk: 'ssd' })),
        old,
      ),
    ).toEqual(['spec.template: field is immutable']);
  });

  it('accepts the change in the same update that resumes the Job', () => {
    const old = suspendedNeverStarted();
    const next = changed(old, (t, j) => {
      t.spec.nodeSelector = { disk: 'ssd' };
      j.spec.suspend = false;
    });
    expect(messages(next, old)).toEqual([]);
  });

  it('still refuses any other template change while suspended', () => {
    const old = suspendedNeverStarted();
    expect(
      messages(
        changed(old, (t) => (t.spec.containers[0].image = 'busybox:1.36')),
        old,
      ),
    ).toEqual(['spec.template: field is immutable']);
    expect(
      messages(
        changed(old, (t) => (t.spec.affinity = { podAffinity: {} })),
        old,
      ),
    ).toEqual(['spec.template: field is immutable']);
  });

  it('lets a suspended Job drop a node affinity that was all its affinity', () => {
    const old = changed(suspendedNeverStarted(), (t) => (t.spec.affinity = { nodeAffinity: {} }));
    expect(
      messages(
        changed(old, (t) => delete t.spec.affinity),
        old,
      ),
    ).toEqual([]);
  });
});

describe('spec.managedBy', () => {
  it('is immutable', () => {
    const old = makeJob({ managedBy: 'example.com/ctl' });
    const next = structuredClone(old);
    next.spec.managedBy = 'example.com/other';
    expect(messages(next, old)).toEqual(['spec.managedBy: field is immutable']);
  });
});
