// The owner index hands the Job controller, of a Job's settled succeeded pods (finished, counted),
// only the newest. Property: the controller's decision is the same as with every pod.
import { describe, expect, it } from 'vitest';
import { formatIndexes, type Job, type Pod } from '../../src/api/index.js';
import { decide } from '../../src/controller/job/decide.js';
import { INDEX_KEY } from '../../src/controller/job/indexed.js';
import { JOB_TRACKING_FINALIZER } from '../../src/controller/job/pods.js';
import { OwnerIndex } from '../../src/store/owner-index.js';
import { at, CONFIG, iso, makeJob } from '../helpers/jobs.js';

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] };
}

type Kind = 'settledOk' | 'settledFail' | 'finishedOk' | 'finishedFail' | 'running' | 'pending' | 'deleting';

function pod(i: number, kind: Kind, index: number | undefined, finishedS: number, exitCode: number): Pod {
  const finished = kind !== 'running' && kind !== 'pending' && kind !== 'deleting';
  const ok = kind === 'settledOk' || kind === 'finishedOk';
  const idx: Record<string, string> = index === undefined ? {} : { [INDEX_KEY]: String(index) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `j-${i}`,
      namespace: 'default',
      uid: `p${i}`,
      creationTimestamp: iso(finishedS - 5),
      labels: { ...idx, 'job-name': 'j' },
      annotations: idx,
      finalizers: kind.startsWith('settled') ? undefined : [JOB_TRACKING_FINALIZER],
      ...(kind === 'deleting' ? { deletionTimestamp: iso(finishedS) } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'uid', controller: true }],
    },
    spec: { containers: [{ name: 'main' }] },
    status: {
      phase: finished ? (ok ? 'Succeeded' : 'Failed') : kind === 'pending' ? 'Pending' : 'Running',
      conditions: [{ type: 'Ready', status: kind === 'running' ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'main',
          ready: kind === 'running',
          restartCount: 0,
          image: 'busybox:1.35',
          imageID: 'sha256:x',
          lastState: {},
          state: finished
            ? {
                terminated: {
                  exitCode: ok ? 0 : exitCode,
                  reason: ok ? 'Completed' : 'Error',
                  finishedAt: iso(finishedS),
                },
              }
            : { running: { startedAt: iso(0) } },
        },
      ],
    },
  };
}

const JOBS: [string, Partial<Job['spec']>][] = [
  ['NonIndexed', { completions: 60, parallelism: 6, backoffLimit: 1000 }],
  ['work queue', { completions: undefined, parallelism: 6, backoffLimit: 1000 }],
  ['Indexed', { completionMode: 'Indexed', completions: 60, parallelism: 6, backoffLimit: 1000 }],
  [
    'Indexed, per index',
    { completionMode: 'Indexed', completions: 60, parallelism: 6, backoffLimitPerIndex: 3, maxFailedIndexes: 50 },
  ],
  [
    'pod failure policy',
    {
      completions: 60,
      parallelism: 6,
      backoffLimit: 1000,
      podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] },
    },
  ],
];

describe('settled succeeded pods: the newest stands for all', () => {
  it.each(JOBS)('%s: the same plan from the index as from every pod (200 random cases)', (_name, spec) => {
    const r = random(spec.completionMode === 'Indexed' ? 7 : 11);
    for (let c = 0; c < 200; c++) {
      const indexed = spec.completionMode === 'Indexed';
      const kinds: Kind[] = ['settledOk', 'settledOk', 'settledOk', 'settledFail', 'finishedOk', 'finishedFail'];
      kinds.push('running', 'pending', 'deleting');
      const pods: Pod[] = [];
      const count = r.int(40);
      const done = new Set<number>();
      for (let i = 0; i < count; i++) {
        const kind = r.pick(kinds);
        const index = indexed ? r.int(60) : undefined;
        // As the controller leaves them: a settled success's index is among the completed.
        if (kind === 'settledOk' && index !== undefined) done.add(index);
        pods.push(pod(i, kind, index, 10 + r.int(100), r.pick([1, 3])));
      }
      const settled = (p: Pod) => !p.metadata.finalizers;
      const status: Job['status'] = {
        startTime: iso(0),
        succeeded: pods.filter((p) => settled(p) && p.status?.phase === 'Succeeded').length,
        failed: pods.filter((p) => settled(p) && p.status?.phase === 'Failed').length,
        ...(indexed ? { completedIndexes: formatIndexes(done) } : {}),
      };
      if (indexed) status.succeeded = done.size;
      const job = makeJob(spec, status);
      const index = new OwnerIndex();
      for (const p of pods) index.set(`Pod/default/${p.metadata.name}`, structuredClone(p), true);
      const held = index.list('uid') as Pod[];
      expect(index.keys('uid').sort()).toEqual(pods.map((p) => `Pod/default/${p.metadata.name}`).sort());
      const now = at(60 + r.int(120));
      expect(decide(job, held, now, CONFIG)).toEqual(decide(job, pods, now, CONFIG));
    }
  });

  it('holds one settled success, the newest; the rest by key only, until deleted', () => {
    const index = new OwnerIndex();
    const add = (i: number, s: number) => index.set(`Pod/default/j-${i}`, pod(i, 'settledOk', undefined, s, 0), true);
    add(1, 50);
    add(2, 70);
    add(3, 60);
    expect(index.list('uid').map((p) => p.metadata.name)).toEqual(['j-2']);
    expect(index.keys('uid')).toEqual(['Pod/default/j-2', 'Pod/default/j-1', 'Pod/default/j-3']);
    index.set('Pod/default/j-1', pod(1, 'settledOk', undefined, 50, 0), false);
    expect(index.keys('uid')).toHaveLength(2);
    index.set('Pod/default/j-2', pod(2, 'settledOk', undefined, 70, 0), false);
    expect(index.list('uid')).toEqual([]);
    expect(index.keys('uid')).toEqual(['Pod/default/j-3']);
  });
});
