// Table tests of Indexed jobs, failure and success policies, per-index back-off and suspension.
import { describe, expect, it } from 'vitest';
import { type Job, type Pod } from '../../src/api/index.js';
import { decide } from '../../src/controller/job/decide.js';
import { at, CONFIG, iso, makeJob, stoppedByPlan } from '../helpers/jobs.js';
import { INDEX_FAILURE_COUNT, INDEX_KEY } from '../../src/controller/job/indexed.js';
import { JOB_TRACKING_FINALIZER } from '../../src/controller/job/pods.js';
import { newPodForJob } from '../../src/controller/job/pod-template.js';

const job = makeJob;

let n = 0;
function pod(
  phase: NonNullable<Pod['status']>['phase'],
  opts: {
    index?: number;
    exitCode?: number;
    finishedAt?: number;
    failureCount?: number;
    deleting?: boolean;
    conditions?: { type: string; status: 'True' }[];
  } = {},
): Pod {
  const annotations: Record<string, string> = {};
  if (opts.index !== undefined) annotations[INDEX_KEY] = String(opts.index);
  if (opts.failureCount !== undefined) annotations[INDEX_FAILURE_COUNT] = String(opts.failureCount);
  const finished = phase === 'Succeeded' || phase === 'Failed';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `j-${++n}`,
      namespace: 'default',
      uid: `p${n}`,
      creationTimestamp: iso(0),
      annotations,
      finalizers: [JOB_TRACKING_FINALIZER],
      ...(opts.deleting ? { deletionTimestamp: iso(1) } : {}),
    },
    spec: { containers: [{ name: 'main' }] },
    status: {
      phase,
      conditions: opts.conditions,
      containerStatuses: [
        {
          name: 'main',
          ready: !finished,
          restartCount: 0,
          image: '',
          imageID: '',
          lastState: {},
          state: finished
            ? {
                terminated: {
                  exitCode: opts.exitCode ?? (phase === 'Succeeded' ? 0 : 1),
                  finishedAt: iso(opts.finishedAt ?? 1),
                },
              }
            : { running: {} },
        },
      ],
    },
  };
}

const types = (s: Job['status']) => (s?.conditions ?? []).map((c) => `${c.type}:${c.reason}`);

describe('Indexed (§2.9)', () => {
  it('creates the lowest pending indexes first, up to parallelism', () => {
    const plan = decide(
      job({ completionMode: 'Indexed', completions: 5, parallelism: 2 }),
      [pod('Succeeded', { index: 0 })],
      at(2),
      CONFIG,
    );
    expect(plan.create.map((c) => c.index)).toEqual([1, 2]);
    expect(plan.status?.completedIndexes).toBe('0');
  });

  it('completedIndexes in interval form; succeeded counts distinct indexes', () => {
    const pods = [1, 3, 4, 5, 5].map((i) => pod('Succeeded', { index: i }));
    const plan = decide(job({ completionMode: 'Indexed', completions: 8, parallelism: 1 }), pods, at(2), CONFIG);
    expect(plan.status?.completedIndexes).toBe('1,3-5');
    expect(plan.status?.succeeded).toBe(4);
  });

  it('removes duplicates of one index, keeping the most progressed', () => {
    const running = pod('Running', { index: 0 });
    const pending = pod('Pending', { index: 0 });
    const plan = decide(
      job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }),
      [running, pending],
      at(2),
      CONFIG,
    );
    expect(plan.delete).toEqual([pending.metadata.name]);
    expect(plan.create).toEqual([]);
  });

  it('the pod carries its index: label, annotation, hostname, env, name prefix', () => {
    const p = newPodForJob(job({ completionMode: 'Indexed', completions: 3 }), { index: 2 });
    expect(p.metadata.labels?.[INDEX_KEY]).toBe('2');
    expect(p.metadata.annotations?.[INDEX_KEY]).toBe('2');
    expect(p.metadata.generateName).toBe('j-2-');
    expect(p.spec.hostname).toBe('j-2');
    expect(p.spec.containers[0].env).toEqual([
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${INDEX_KEY}']` } },
      },
    ]);
  });

  it('completes when every index succeeded', () => {
    const plan = decide(
      job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }),
      [pod('Succeeded', { index: 0 }), pod('Succeeded', { index: 1 })],
      at(2),
      CONFIG,
    );
    expect(types(plan.status)).toEqual(['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached']);
    expect(plan.status?.completedIndexes).toBe('0,1');
  });
});

describe('podFailurePolicy (§2.11)', () => {
  const policy = (action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex', extra: Partial<Job['spec']> = {}) =>
    job({
      backoffLimit: 0,
      podFailurePolicy: { rules: [{ action, onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] },
      ...extra,
    });

  it('FailJob ends the job with the exact message', () => {
    const p = pod('Failed', { exitCode: 42 });
    const plan = decide(policy('FailJob', { backoffLimit: 6 }), [p], at(2), CONFIG);
    expect(plan.status?.conditions?.[0]).toMatchObject({
      type: 'FailureTarget',
      reason: 'PodFailurePolicy',
      message: `Container main for pod default/${p.metadata.name} failed with exit code 42 matching FailJob rule at index 0`,
    });
    expect(types(plan.status)).toEqual(['FailureTarget:PodFailurePolicy', 'Failed:PodFailurePolicy']);
  });

  it('Ignore does not count (even with backoffLimit 0) and the pod is replaced', () => {
    const plan = decide(policy('Ignore'), [pod('Failed', { exitCode: 42 })], at(2), CONFIG);
    expect(plan.status?.failed).toBeUndefined();
    expect(types(plan.status)).toEqual([]);
    expect(plan.create).toHaveLength(1);
    expect(plan.counted).toHaveLength(1);
  });

  it('no match counts normally', () => {
    const plan = decide(policy('Ignore'), [pod('Failed', { exitCode: 1 })], at(2), CONFIG);
    expect(plan.status?.failed).toBe(1);
    expect(types(plan.status)[0]).toBe('FailureTarget:BackoffLimitExceeded');
  });

  it('onPodConditions', () => {
    const j = job({
      backoffLimit: 0,
      podFailurePolicy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
    });
    const p = pod('Failed', { conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    expect(decide(j, [p], at(2), CONFIG).status?.conditions?.[0].message).toBe(
      `Pod default/${p.metadata.name} has condition DisruptionTarget matching FailJob rule at index 0`,
    );
  });
});

describe('successPolicy (§2.12)', () => {
  const sp = (rules: { succeededIndexes?: string; succeededCount?: number }[]) =>
    job({ completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules } });

  it('succeededCount 1 ends a race after the first success and stops the others, not counting them as failed', () => {
    const others = [pod('Running', { index: 1 }), pod('Running', { index: 2 })];
    const j = sp([{ succeededCount: 1 }]);
    const plan = decide(j, [pod('Succeeded', { index: 0 }), ...others], at(2), CONFIG);
    expect(types(plan.status)).toEqual(['SuccessCriteriaMet:SuccessPolicy']);
    expect(plan.status?.conditions?.[0].message).toBe('Matched rules at index 0');
    expect(plan.delete.sort()).toEqual(others.map((p) => p.metadata.name).sort());
    j.status = plan.status;
    expect(plan.uncounted.sort()).toEqual(plan.delete);
    const stopped = stoppedByPlan(others, plan, 2);
    const done = decide(j, [pod('Succeeded', { index: 0 }), ...stopped], at(3), CONFIG);
    expect(types(done.status)).toEqual(['SuccessCriteriaMet:SuccessPolicy', 'Complete:SuccessPolicy']);
    expect(done.status?.failed).toBeUndefined();
    expect(done.status?.completionTime).toBeDefined();
  });

  it('succeededIndexes with and without succeededCount', () => {
    expect(
      types(
        decide(
          sp([{ succeededIndexes: '0,2' }]),
          [pod('Succeeded', { index: 0 }), pod('Running', { index: 2 })],
          at(2),
          CONFIG,
        ).status,
      ),
    ).toEqual([]);
    expect(
      types(
        decide(
          sp([{ succeededIndexes: '0-2', succeededCount: 2 }]),
          [pod('Succeeded', { index: 0 }), pod('Succeeded', { index: 2 })],
          at(2),
          CONFIG,
        ).status,
      )[0],
    ).toBe('SuccessCriteriaMet:SuccessPolicy');
  });
});

describe('backoffLimitPerIndex (§2.10)', () => {
  const per = (extra: Partial<Job['spec']> = {}) =>
    job({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 1, ...extra });

  it('retries an index with the failure count carried, then fails it for good', () => {
    const first = decide(
      per(),
      [
        pod('Failed', { index: 1, failureCount: 0, finishedAt: 1 }),
        pod('Running', { index: 0 }),
        pod('Running', { index: 2 }),
        pod('Running', { index: 3 }),
      ],
      at(100),
      CONFIG,
    );
    expect(first.create).toEqual([{ index: 1, failureCount: 1 }]);
    expect(first.status?.failedIndexes).toBe('');
    const second = decide(
      per(),
      [
        pod('Failed', { index: 1, failureCount: 1, finishedAt: 1 }),
        pod('Running', { index: 0 }),
        pod('Running', { index: 2 }),
        pod('Running', { index: 3 }),
      ],
      at(100),
      CONFIG,
    );
    expect(second.status?.failedIndexes).toBe('1');
    expect(second.create).toEqual([]);
  });

  it('ends with FailedIndexes once every index is done, or MaxFailedIndexesExceeded', () => {
    const pods = [
      pod('Succeeded', { index: 0 }),
      pod('Failed', { index: 1, failureCount: 1 }),
      pod('Succeeded', { index: 2 }),
      pod('Failed', { index: 3, failureCount: 1 }),
    ];
    const plan = decide(per(), pods, at(100), CONFIG);
    expect(plan.status?.failedIndexes).toBe('1,3');
    expect(types(plan.status)).toEqual(['FailureTarget:FailedIndexes', 'Failed:FailedIndexes']);
    const max = decide(per({ maxFailedIndexes: 1 }), pods, at(100), CONFIG);
    expect(types(max.status)[0]).toBe('FailureTarget:MaxFailedIndexesExceeded');
  });

  it('the re-creation delay is per index', () => {
    const plan = decide(per(), [pod('Failed', { index: 1, failureCount: 0, finishedAt: 95 })], at(100), CONFIG);
    expect(plan.create.map((c) => c.index)).toEqual([0, 2, 3]);
    expect(plan.requeueAfterMs).toBe(5_000);
  });
});

describe('suspend (§2.7)', () => {
  it('created suspended: no pods, no startTime, the Suspended condition and event', () => {
    const j = job({ suspend: true });
    delete j.status!.startTime;
    const plan = decide(j, [], at(5), CONFIG);
    expect(plan.create).toEqual([]);
    expect(plan.status?.startTime).toBeUndefined();
    expect(plan.status?.conditions?.[0]).toMatchObject({
      type: 'Suspended',
      status: 'True',
      reason: 'JobSuspended',
      message: 'Job suspended',
    });
    expect(plan.events).toEqual([{ type: 'Normal', reason: 'Suspended', message: 'Job suspended' }]);
  });

  it('suspending deletes the pods without counting them; resuming resets startTime', () => {
    const running = pod('Running');
    const j = job({ suspend: true, parallelism: 1, completions: 1 });
    const s = decide(j, [running], at(5), CONFIG);
    expect(s.delete).toEqual([running.metadata.name]);
    j.status = s.status;
    expect(s.uncounted).toEqual(s.delete);
    const later = decide(j, stoppedByPlan([running], s, 5), at(6), CONFIG);
    expect(later.status?.failed ?? 0).toBe(0);
    const resumed = { ...j, spec: { ...j.spec, suspend: false }, status: later.status ?? j.status };
    const r = decide(resumed, [], at(20), CONFIG);
    expect(r.status?.conditions?.find((c) => c.type === 'Suspended')).toMatchObject({
      status: 'False',
      reason: 'JobResumed',
      message: 'Job resumed',
    });
    expect(r.status?.startTime).toBe('2026-01-01T00:00:20Z');
    expect(r.events).toContainEqual({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    expect(r.create).toHaveLength(1);
  });
});

describe('elastic Indexed Jobs (scale-down is not failure)', () => {
  it('shrinking completions and parallelism together deletes the out-of-range indexes uncounted', () => {
    const j = job({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0 });
    const pods = [0, 1, 2, 3].map((index) => pod('Running', { index }));
    const down = { ...j, spec: { ...j.spec, completions: 2, parallelism: 2 } };
    const plan = decide(down, pods, at(5), CONFIG);
    expect(plan.delete.sort()).toEqual(
      pods
        .slice(2)
        .map((p) => p.metadata.name)
        .sort(),
    );
    expect(plan.uncounted.sort()).toEqual([...plan.delete].sort());
    const after = decide({ ...down, status: plan.status }, stoppedByPlan(pods, plan, 5), at(6), CONFIG);
    expect(after.status?.failed ?? 0).toBe(0);
    expect(types(after.status ?? plan.status)).toEqual([]);
  });

  it('a duplicate pod of one index is deleted uncounted, the more progressed kept', () => {
    const j = job({ completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimit: 0 });
    const a = pod('Running', { index: 0 });
    const b = {
      ...pod('Pending', { index: 0 }),
      metadata: { ...pod('Pending').metadata, annotations: { [INDEX_KEY]: '0' } },
    };
    const plan = decide(j, [a, b, pod('Running', { index: 1 })], at(5), CONFIG);
    expect(plan.delete).toEqual([b.metadata.name]);
    expect(plan.uncounted).toEqual([b.metadata.name]);
  });
});
