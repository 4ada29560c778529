// The API server's verbs through each kind's strategy, on a temporary store.

import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it } from 'vitest';
import type { ApiObject, StatusError } from '../../src/api/index.js';
import { type ConfigMap, type Job, type Namespace } from '../../src/api/index.js';
import { ApiServer, openapiDocument, openapiIndex, parseFieldValidation, Registry } from '../../src/apiserver/index.js';
import { Store } from '../../src/store/index.js';

const server = () => {
  const registry = new Registry(new Store(join(tempDir('jobctl-api-'), 'state.db')));
  registry.namespaces.ensure();
  return new ApiServer(registry);
};
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

  it('fieldValidation: Strict refuses unknown fields, Warn (the default) warns and drops them, Ignore drops them', () => {
    const api = server();
    const withBogus = (name: string) => {
      const j = job(name) as Job & { spec: { bogus?: number } };
      j.spec.bogus = 1;
      return j;
    };
    let message = '';
    try {
      api.create('Job', 'default', withBogus('s'), false, 'Strict');
    } catch (e) {
      message = (e as StatusError).status.message;
    }
    expect(message).toBe(
      'Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.bogus"',
    );
    const warned = api.create('Job', 'default', withBogus('w'), false);
    expect(warned.warnings).toContain('unknown field "spec.bogus"');
    expect('bogus' in (warned.object as Job).spec).toBe(false);
    const ignored = api.create('Job', 'default', withBogus('i'), false, 'Ignore');
    expect(ignored.warnings).not.toContain('unknown field "spec.bogus"');
    const wrongType = { ...job('t'), spec: { ...job('t').spec, parallelism: 'x' as unknown as number } };
    expect(code(() => api.create('Job', 'default', wrongType, false, 'Ignore'))).toBe(400);
    const warnings: string[] = [];
    api.patch(
      'Job',
      'default',
      'w',
      'application/merge-patch+json',
      { spec: { other: 2 } },
      {
        status: false,
        dryRun: false,
        warnings,
      },
    );
    expect(warnings).toEqual(['unknown field "spec.other"']);
    expect(code(() => parseFieldValidation('Loose'))).toBe(400);
    expect([parseFieldValidation(null), parseFieldValidation('Strict')]).toEqual(['Warn', 'Strict']);
  });

  it("OpenAPI v3: each kind's PATCH declares fieldValidation, as kubectl checks before sending Strict", () => {
    const index = openapiIndex() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths).sort()).toEqual(['api/v1', 'apis/batch/v1']);
    expect(index.paths['apis/batch/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/batch\/v1\?hash=[0-9A-F]+$/);
    const doc = JSON.parse(openapiDocument('apis/batch/v1')!);
    const patch = doc.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'batch', version: 'v1', kind: 'Job' });
    expect(patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toContain(
      'query:fieldValidation',
    );
    expect(openapiDocument('apis/apps/v1')).toBeUndefined();
    const core = JSON.parse(openapiDocument('api/v1')!);
    expect(core.paths['/api/v1/namespaces/{name}'].patch['x-kubernetes-group-version-kind'].kind).toBe('Namespace');
  });

  it('namespaces: objects only in one that exists and is not terminating; three may not be deleted', () => {
    const api = server();
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as StatusError).status;
      }
      return undefined;
    };
    expect(status(() => api.create('Job', 'team-a', job('a'), false))).toMatchObject({
      code: 404,
      message: 'namespaces "team-a" not found',
    });
    const ns = api.create('Namespace', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }, false)
      .object as Namespace;
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect([ns.spec, ns.status, ns.metadata.namespace]).toEqual([
      { finalizers: ['kubernetes'] },
      { phase: 'Active' },
      undefined,
    ]);
    api.create('Job', 'team-a', job('a'), false);
    const deleting = api.delete('Namespace', '', 'team-a', {}).object as Namespace;
    expect(deleting.status?.phase).toBe('Terminating');
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(status(() => api.create('Job', 'team-a', job('b'), false))).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'jobs.batch "b" is forbidden: unable to create new content in namespace team-a because it is being terminated',
    });
    for (const name of ['default', 'kube-system', 'kube-public']) {
      expect(status(() => api.delete('Namespace', '', name, {}))).toMatchObject({
        code: 403,
        message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      });
    }
    expect(
      status(() =>
        api.create('Namespace', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, false),
      )?.code,
    ).toBe(422);
    // A label changes; the finalizers and status stay the server's.
    const relabelled = api.patch(
      'Namespace',
      '',
      'default',
      'application/merge-patch+json',
      { metadata: { labels: { team: 'x' } }, status: { phase: 'Terminating' } },
      { status: false, dryRun: false },
    ) as Namespace;
    expect(relabelled.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'default', team: 'x' });
    expect(relabelled.status?.phase).toBe('Active');
  });

  it('namespaces that hold objects from before namespaces were objects are created at start', () => {
    const store = new Store(join(tempDir('jobctl-api-'), 'state.db'));
    store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'legacy' } });
    const registry = new Registry(store);
    registry.namespaces.ensure();
    expect(store.list('Namespace').map((n) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'legacy',
    ]);
  });
});
