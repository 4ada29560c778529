// spec.managedBy: the Job controller leaves a Job that names another controller alone.

import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it, vi } from 'vitest';
import { admitCreate, type Event, type Job, type Pod } from '../../src/api/index.js';
import { JobController } from '../../src/controller/job/controller.js';
import { Registry } from '../../src/apiserver/index.js';
import { Store } from '../../src/store/index.js';

function run(managedBy?: string) {
  const store = new Store(join(tempDir('jobctl-managed-'), 'state.db'));
  const registry = new Registry(store);
  const jobs = new JobController(registry, { podBackoffBaseMs: 10_000 });
  store.subscribe((c) => jobs.onChange(c));
  const { object } = admitCreate(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'default' },
      spec: {
        ...(managedBy ? { managedBy } : {}),
        activeDeadlineSeconds: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      },
    },
    new Date(),
  );
  store.create(object);
  return { store, jobs };
}

describe('spec.managedBy', () => {
  it("another controller's Job gets no pods, no status and no events, even past its deadline", async () => {
    const { store, jobs } = run('example.com/other');
    await new Promise((r) => setTimeout(r, 50));
    expect(jobs.queue.isIdle()).toBe(true);
    expect(store.list<Pod>('Pod')).toEqual([]);
    expect(store.list<Event>('Event')).toEqual([]);
    expect(store.get<Job>('Job', 'default', 'j')?.status ?? {}).toEqual({});
  });

  it("the job controller's own name, like no name, is handled here", async () => {
    for (const by of ['kubernetes.io/job-controller', undefined]) {
      const { store } = run(by);
      // A zero deadline fails it on the first sync.
      await vi.waitFor(() =>
        expect(store.get<Job>('Job', 'default', 'j')?.status?.conditions?.map((c) => c.type)).toContain('Failed'),
      );
    }
  });
});
