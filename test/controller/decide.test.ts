// Table tests of the Job controller's pure decision (reference §2), with a fake clock.
import { describe, expect, it } from 'vitest';
import { type ContainerStatus, type Pod } from '../../src/api/index.js';
import { decide } from '../../src/controller/job/decide.js';
import { at, CONFIG, iso, makeJob, stoppedByPlan, T0 } from '../helpers/jobs.js';
import { computeBackoffRecord, computeRemainingBackoffMs } from '../../src/controller/job/backoff.js';
import { JOB_TRACKING_FINALIZER } from '../../src/controller/job/pods.js';

const job = makeJob;

let n = 0;
function pod(
  phase: NonNullable<Pod['status']>['phase'],
  opts: { finishedAt?: number; counted?: boolean; deleting?: boolean; restarts?: number; created?: number } = {},
): Pod {
  const cs: ContainerStatus = {
    name: 'main',
    ready: phase === 'Running',
    restartCount: opts.restarts ?? 0,
    image: 'busybox:1.35',
    imageID: '',
    lastState: {},
    state:
      opts.finishedAt !== undefined
        ? { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, finishedAt: iso(opts.finishedAt) } }
        : { running: { startedAt: iso(0) } },
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `j-${++n}`,
      namespace: 'default',
      uid: `p${n}`,
      creationTimestamp: iso(opts.created ?? 0),
      finalizers: opts.counted ? [] : [JOB_TRACKING_FINALIZER],
      ...(opts.deleting ? { deletionTimestamp: iso(1) } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'uid', controller: true }],
    },
    spec: { containers: [{ name: 'main' }] },
    status: { phase, containerStatuses: [cs] },
  };
}

const types = (j: { conditions?: { type: string }[] } | undefined) => (j?.conditions ?? []).map((c) => c.type);

describe('wantActive (§2.2)', () => {
  it.each([
    ['completions 1, parallelism 5 runs one pod', { completions: 1, parallelism: 5 }, 1],
    ['completions 3, parallelism 2 runs two', { completions: 3, parallelism: 2 }, 2],
    ['work queue runs parallelism pods', { completions: null as unknown as undefined, parallelism: 5 }, 5],
    ['parallelism 0 runs none', { completions: 2, parallelism: 0 }, 0],
  ])('%s', (_t, spec, want) => {
    expect(decide(job(spec), [], at(1), CONFIG).create).toHaveLength(want);
  });

  it('work-queue mode starts no new pod after the first success and leaves the others running', () => {
    const j = job({ completions: null as unknown as undefined, parallelism: 3 });
    const plan = decide(j, [pod('Succeeded', { finishedAt: 5 }), pod('Running')], at(6), CONFIG);
    expect(plan.create).toHaveLength(0);
    expect(plan.delete).toEqual([]);
    expect(types(plan.status)).toEqual([]);
  });

  it('creates after a success only what completions still need', () => {
    const plan = decide(
      job({ completions: 3, parallelism: 2 }),
      [pod('Succeeded', { finishedAt: 5 }), pod('Running')],
      at(6),
      CONFIG,
    );
    expect(plan.create).toHaveLength(1);
    expect(plan.status?.succeeded).toBe(1);
    expect(plan.counted).toHaveLength(1);
  });

  it('counts the pods it creates as active, as manageJob does: the next sync has nothing to write', () => {
    const j = job({ completions: 3, parallelism: 2 });
    const running = pod('Running');
    const plan = decide(j, [pod('Succeeded', { finishedAt: 5 }), running], at(6), CONFIG);
    expect(plan.create).toHaveLength(1);
    expect(plan.status?.active).toBe(2);
    const created = pod('Pending');
    const counted = pod('Succeeded', { finishedAt: 5, counted: true });
    expect(decide({ ...j, status: plan.status }, [counted, running, created], at(7), CONFIG).status).toBeUndefined();
  });

  it('deletes extra pods when active exceeds what is wanted, least progressed first', () => {
    const pending = pod('Pending', { created: 2 });
    const plan = decide(
      job({ completions: 1, parallelism: 1 }),
      [pod('Running', { created: 1 }), pending],
      at(3),
      CONFIG,
    );
    expect(plan.delete).toEqual([pending.metadata.name]);
    expect(plan.create).toHaveLength(0);
  });
});

describe('counting (§2.3)', () => {
  it('counts each finished pod once: counted pods are not counted again', () => {
    const plan = decide(job({}, { failed: 1 }), [pod('Failed', { finishedAt: 1, counted: true })], at(100), CONFIG);
    expect(plan.status?.failed ?? 1).toBe(1);
    expect(plan.counted).toEqual([]);
  });

  it('a deleted, non-succeeded pod counts as failed (TerminatingOrFailed)', () => {
    const plan = decide(job(), [pod('Running', { deleting: true })], at(2), CONFIG);
    expect(plan.status?.failed).toBe(1);
  });

  it('with podReplacementPolicy Failed a terminating pod is not yet failed and blocks replacement', () => {
    const plan = decide(job({ podReplacementPolicy: 'Failed' }), [pod('Running', { deleting: true })], at(2), CONFIG);
    expect(plan.status?.failed).toBeUndefined();
    expect(plan.create).toHaveLength(0);
    expect(plan.status?.terminating).toBe(1);
  });
});

describe('backoffLimit (§2.4)', () => {
  it('Never: fails when failed > backoffLimit, not at equality', () => {
    const pods = [1, 2, 3].map((s) => pod('Failed', { finishedAt: s }));
    expect(types(decide(job({ backoffLimit: 3 }), pods, at(100), CONFIG).status)).toEqual([]);
    const four = [...pods, pod('Failed', { finishedAt: 50 })];
    const plan = decide(job({ backoffLimit: 3 }), four, at(100), CONFIG);
    expect(types(plan.status)).toEqual(['FailureTarget', 'Failed']);
    expect(plan.status?.conditions?.[1]).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(plan.status?.failed).toBe(4);
    expect(plan.status?.completionTime).toBeUndefined();
    expect(plan.events).toEqual([
      { type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
    ]);
  });

  it('OnFailure: fails when the restarts reach backoffLimit and deletes the pod', () => {
    const running = pod('Running', { restarts: 2 });
    const plan = decide(job({ backoffLimit: 2 }, {}, 'OnFailure'), [running], at(5), CONFIG);
    expect(types(plan.status)).toEqual(['FailureTarget']);
    expect(plan.delete).toEqual([running.metadata.name]);
    const under = decide(job({ backoffLimit: 2 }, {}, 'OnFailure'), [pod('Running', { restarts: 1 })], at(5), CONFIG);
    expect(types(under.status)).toEqual([]);
  });

  it('backoffLimit 0 with OnFailure fails at the first restart', () => {
    expect(
      types(decide(job({ backoffLimit: 0 }, {}, 'OnFailure'), [pod('Running', { restarts: 1 })], at(5), CONFIG).status),
    ).toEqual(['FailureTarget']);
  });

  it('failure checks run before success', () => {
    const plan = decide(
      job({ completions: 1, backoffLimit: 0 }),
      [pod('Failed', { finishedAt: 1 }), pod('Succeeded', { finishedAt: 2 })],
      at(3),
      CONFIG,
    );
    expect(types(plan.status)[0]).toBe('FailureTarget');
  });
});

describe('re-creation backoff (§2.5)', () => {
  it('10s × 2^(n-1) from the last failure, reset by a success', () => {
    const j = job();
    const f = (s: number) => pod('Failed', { finishedAt: s });
    expect(computeRemainingBackoffMs(computeBackoffRecord(j, [f(10)]), T0 + 15_000, 10_000)).toBe(5_000);
    expect(computeRemainingBackoffMs(computeBackoffRecord(j, [f(10), f(20)]), T0 + 25_000, 10_000)).toBe(15_000);
    expect(computeRemainingBackoffMs(computeBackoffRecord(j, [f(10), f(20), f(30)]), T0 + 30_000, 10_000)).toBe(40_000);
    expect(
      computeRemainingBackoffMs(
        computeBackoffRecord(j, [f(10), pod('Succeeded', { finishedAt: 11 })]),
        T0 + 12_000,
        10_000,
      ),
    ).toBe(0);
    const many = Array.from({ length: 12 }, (_, i) => f(i));
    expect(computeRemainingBackoffMs(computeBackoffRecord(j, many), T0 + 11_000, 10_000)).toBe(600_000);
  });

  it('the controller requeues instead of creating during the delay', () => {
    const plan = decide(job({ backoffLimit: 6 }), [pod('Failed', { finishedAt: 10 })], at(12), CONFIG);
    expect(plan.create).toHaveLength(0);
    expect(plan.requeueAfterMs).toBe(8_000);
    expect(
      decide(job({ backoffLimit: 6 }), [pod('Failed', { finishedAt: 10, counted: true })], at(20), CONFIG).create,
    ).toHaveLength(1);
  });
});

describe('activeDeadlineSeconds (§2.6)', () => {
  it('requeues at the deadline, then fails with DeadlineExceeded and stops the pods', () => {
    const running = pod('Running');
    const before = decide(job({ activeDeadlineSeconds: 30 }), [running], at(10), CONFIG);
    expect(before.requeueAfterMs).toBe(20_000);
    const after = decide(job({ activeDeadlineSeconds: 30 }), [running], at(30), CONFIG);
    expect(after.status?.conditions?.[0]).toMatchObject({
      type: 'FailureTarget',
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    expect(after.delete).toEqual([running.metadata.name]);
    expect(types(after.status)).toEqual(['FailureTarget']);
  });

  it('the terminal condition waits until every pod has stopped', () => {
    const j = job({ activeDeadlineSeconds: 30 });
    const first = decide(j, [pod('Running', { deleting: true })], at(31), CONFIG);
    expect(types(first.status)).toEqual(['FailureTarget']);
    j.status = first.status;
    const done = decide(j, [pod('Failed', { deleting: true, finishedAt: 32 })], at(33), CONFIG);
    expect(types(done.status)).toEqual(['FailureTarget', 'Failed']);
  });
});

describe('success (§2.8)', () => {
  it('SuccessCriteriaMet then Complete, with completionTime and the event', () => {
    const plan = decide(job(), [pod('Succeeded', { finishedAt: 4 })], at(5), CONFIG);
    expect(types(plan.status)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(plan.status?.conditions?.[1]).toMatchObject({
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    });
    expect(plan.status?.completionTime).toBe('2026-01-01T00:00:05Z');
    expect(plan.status?.succeeded).toBe(1);
    expect(plan.events).toEqual([{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  });

  it('completions 0 completes at once without pods', () => {
    const plan = decide(job({ completions: 0 }), [], at(1), CONFIG);
    expect(plan.create).toHaveLength(0);
    expect(types(plan.status)).toEqual(['SuccessCriteriaMet', 'Complete']);
  });

  it('a finished job is never reconciled again', () => {
    const j = job();
    j.status!.conditions = [{ type: 'Complete', status: 'True' }];
    expect(decide(j, [pod('Running')], at(1), CONFIG)).toEqual({
      create: [],
      delete: [],
      uncounted: [],
      counted: [],
      events: [],
    });
  });

  it('sets startTime on the first sync; not while suspended', () => {
    const j = job();
    delete j.status!.startTime;
    expect(decide(j, [], at(7), CONFIG).status?.startTime).toBe('2026-01-01T00:00:07Z');
    const s = job({ suspend: true });
    delete s.status!.startTime;
    const plan = decide(s, [], at(7), CONFIG);
    expect(plan.status?.startTime).toBeUndefined();
    expect(plan.create).toHaveLength(0);
  });
});

describe('scale-down is not failure (manageJob, deleteJobPods)', () => {
  const running = (k: number) => Array.from({ length: k }, (_, i) => pod('Running', { created: i }));

  it('lowering parallelism below active by more than backoffLimit deletes uncounted pods: no failure, no condition', () => {
    const j = job({ completions: 10, parallelism: 5, backoffLimit: 2 });
    const pods = running(5);
    const down = { ...j, spec: { ...j.spec, parallelism: 2 } };
    const plan = decide(down, pods, at(10), CONFIG);
    expect(plan.delete).toHaveLength(3);
    expect(plan.uncounted.sort()).toEqual([...plan.delete].sort());
    // Newest first: the least progressed go.
    expect(plan.delete.sort()).toEqual(
      pods
        .slice(2)
        .map((p) => p.metadata.name)
        .sort(),
    );
    expect(plan.status?.active).toBe(2);
    const after = decide({ ...down, status: plan.status }, stoppedByPlan(pods, plan, 10), at(11), CONFIG);
    expect(after.status?.failed ?? 0).toBe(0);
    expect(types(after.status ?? plan.status)).toEqual([]);
    expect(after.counted).toEqual([]);
    expect(after.create).toEqual([]);
  });

  it('raising parallelism again creates the missing pods at once: the removed pods start no back-off', () => {
    const j = job({ completions: 10, parallelism: 2, backoffLimit: 2 });
    const pods = running(5);
    const plan = decide(j, pods, at(10), CONFIG);
    const stopped = stoppedByPlan(pods, plan, 10).filter((p) => p.metadata.deletionTimestamp);
    const kept = pods.slice(0, 2);
    const up = decide(
      { ...j, spec: { ...j.spec, parallelism: 4 }, status: plan.status },
      [...kept, ...stopped],
      at(11),
      CONFIG,
    );
    expect(up.create).toHaveLength(2);
    expect(up.requeueAfterMs).toBeUndefined();
    expect(up.status?.active).toBe(4);
  });

  it('pods deleted because the Job failed still count as failed', () => {
    const j = job({ completions: 3, parallelism: 3, activeDeadlineSeconds: 5 });
    const pods = running(3);
    const plan = decide(j, pods, at(6), CONFIG);
    expect(plan.delete).toHaveLength(3);
    expect(plan.uncounted).toEqual([]);
    const done = decide({ ...j, status: plan.status }, stoppedByPlan(pods, plan, 6), at(7), CONFIG);
    expect(done.status?.failed).toBe(3);
    expect(types(done.status)).toContain('Failed');
  });
});
