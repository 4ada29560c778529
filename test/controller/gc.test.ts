import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it, vi } from 'vitest';
import type { Job, Pod } from '../../src/api/index.js';
import { GarbageCollector } from '../../src/controller/gc.js';
import { JOB_TRACKING_FINALIZER } from '../../src/controller/job/pods.js';
import { Registry } from '../../src/apiserver/index.js';
import { Store } from '../../src/store/index.js';

function setup() {
  const store = new Store(join(tempDir('jobctl-gc-'), 'state.db'));
  const registry = new Registry(store);
  const gc = new GarbageCollector(registry);
  store.subscribe((c) => gc.onChange(c));
  return { store, registry };
}

const job = (name: string): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
});

const podOf = (j: Job, i: number): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `${j.metadata.name}-${i}`,
    namespace: 'default',
    uid: `pod-${i}`,
    finalizers: [JOB_TRACKING_FINALIZER],
    ownerReferences: [
      { apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name ?? '', uid: j.metadata.uid ?? '', controller: true },
    ],
  },
  spec: { nodeName: 'node', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] },
  status: { phase: 'Running', startTime: '2026-11-27T00:00:00Z' },
});

describe('garbage collector', () => {
  it('a Job deleted in the foreground goes with its last pod, reading each pod a bounded number of times', () => {
    const { store, registry } = setup();
    const n = 40;
    const j = store.create(job('big'));
    for (let i = 0; i < n; i++)
      registry.recordEvent(
        store.create(podOf(j, i)),
        'Normal',
        'Started',
        'Started container c',
        'kubelet',
        'spec.containers{c}',
      );
    registry.recordEvent(j, 'Normal', 'SuccessfulCreate', 'Created pod: big-0', 'job-controller');

    store.update({ ...j, metadata: { ...j.metadata, deletionTimestamp: '2026-11-27T00:00:01Z' } });
    const pods = store.list<Pod>('Pod');
    expect(pods.every((p) => p.metadata.deletionTimestamp && !p.metadata.finalizers)).toBe(true);

    // The kubelet stops each pod in turn; the GC hears of each deletion.
    const reads = vi.spyOn(store, 'get');
    const lists = vi.spyOn(store, 'list');
    for (const p of pods.slice(0, -1)) {
      registry.podTerminated('default', p.metadata.name ?? '', p.metadata.uid ?? '');
      expect(registry.getJob('default', 'big')).toBeDefined();
    }
    // A few reads per deletion (its pod, its Job, the test's own check), not every remaining pod
    // again (that was ~n²/2: 1,762 reads here), nor every event (a list per pod).
    expect(reads.mock.calls.length).toBeLessThanOrEqual(6 * (n - 1));
    expect(lists).not.toHaveBeenCalled();
    // A removed pod's events stay while its Job is there: `get events` still explains it.
    expect(store.list('Event')).toHaveLength(n + 1);
    registry.podTerminated('default', pods[n - 1].metadata.name ?? '', pods[n - 1].metadata.uid ?? '');
    expect(registry.getJob('default', 'big')).toBeUndefined();
    expect(store.list('Pod')).toHaveLength(0);
    expect(store.list('Event')).toHaveLength(0);
  });
});
