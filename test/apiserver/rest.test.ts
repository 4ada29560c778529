// The API server's verbs through each kind's strategy, on a temporary store.

import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it } from 'vitest';
import type { ApiObject, StatusError } from '../../src/api/index.js';
import { type ConfigMap, type Job } from '../../src/api/index.js';
import { ApiServer, Registry } from '../../src/apiserver/index.js';
import { Store } from '../../src/store/index.js';

const server = () => new ApiServer(new Registry(new Store(join(tempDir('jobctl-api-'), 'state.db'))));
const job = (name: string, extra: Partial<Job['spec']> = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    ...extra,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } },
  },
});
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as StatusError).status?.code;
  }
  return 0;
};

describe('ApiServer', () => {
  it('creates a Job with defaults and warnings; a dry run stores nothing and still finds a clash', () => {
    const api = server();
    const dry = api.create('Job', 'default', job('a'), true);
    expect(dry.object.metadata.uid).toBeDefined();
    expect(api.listJson('Job', 'default').items).toEqual([]);
    const made = api.create('Job', 'default', job('a'), false);
    expect((made.object as Job).spec.backoffLimit).toBe(6);
    expect(made.warnings.some((w) => w.startsWith('spec.ttlSecondsAfterFinished is not set'))).toBe(true);
    expect(code(() => api.create('Job', 'default', job('a'), true))).toBe(409);
    expect(
      code(() => api.create('Job', 'other', { ...job('b'), metadata: { name: 'b', namespace: 'default' } }, false)),
    ).toBe(400);
  });

  it('an update bumps the generation when the spec changes, refuses an immutable change, and writes nothing when nothing changes', () => {
    const api = server();
    const a = api.create('Job', 'default', job('a', { parallelism: 2 }), false).object as Job;
    const same = api.update('Job', 'default', 'a', structuredClone(a), { status: false, dryRun: false });
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    const up = api.patch(
      'Job',
      'default',
      'a',
      'application/merge-patch+json',
      { spec: { parallelism: 3 } },
      { status: false, dryRun: false },
    ) as Job;
    expect([up.spec.parallelism, up.metadata.generation]).toEqual([3, 2]);
    const bad = structuredClone(up);
    bad.spec.template.spec.containers[0].image = 'other';
    expect(code(() => api.update('Job', 'default', 'a', bad, { status: false, dryRun: false }))).toBe(422);
    expect(code(() => api.update('Job', 'default', 'a', a, { status: false, dryRun: false }))).toBe(409);
  });

  it('the status subresource takes status only, validated', () => {
    const api = server();
    const a = api.create('Job', 'default', job('a'), false).object as Job;
    const written = api.update(
      'Job',
      'default',
      'a',
      { ...a, spec: { ...a.spec, parallelism: 9 }, status: { active: 1 } },
      { status: true, dryRun: false },
    ) as Job;
    expect([written.status?.active, written.spec.parallelism]).toEqual([1, 1]);
    expect(
      code(() =>
        api.update('Job', 'default', 'a', { ...written, status: { active: -1 } }, { status: true, dryRun: false }),
      ),
    ).toBe(422);
  });

  it("pods and events are the server's own; an immutable ConfigMap keeps its data", () => {
    const api = server();
    expect(
      code(() =>
        api.create('Pod', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } as ApiObject, false),
      ),
    ).toBe(405);
    const cm: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { k: 'v' },
      immutable: true,
    };
    const made = api.create('ConfigMap', 'default', cm, false).object as ConfigMap;
    expect(
      code(() =>
        api.update('ConfigMap', 'default', 'c', { ...made, data: { k: 'w' } }, { status: false, dryRun: false }),
      ),
    ).toBe(422);
    expect(code(() => api.patch('ConfigMap', 'default', 'c', 'text/plain', {}, { status: false, dryRun: false }))).toBe(
      415,
    );
  });

  it('deletes a Job with a warning when no propagation is given, and says NotFound after', () => {
    const api = server();
    api.create('Job', 'default', job('a'), false);
    expect(api.delete('Job', 'default', 'a', {}).warnings[0]).toMatch(/^child pods are preserved by default/);
    expect(code(() => api.delete('Job', 'default', 'a', { propagation: 'Background' }))).toBe(404);
  });
});
