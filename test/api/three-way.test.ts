// Client-side apply's three-way patch, as kubectl computes it: changes from the live object,
// deletions of what the last applied configuration had, lists merged by their keys with
// `$setElementOrder`, sets with `$deleteFromPrimitiveList`, atomic lists whole, and nothing for
// fields only the server or other writers set.
import { describe, expect, it } from 'vitest';
import { configMapSchema, jobSchema } from '../../src/api/schema.js';
import { strategicMerge } from '../../src/api/strategic-merge.js';
import { threeWayPatch } from '../../src/api/three-way.js';

/** A live object as the server returns it, with what it added; loosely typed for the test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests add server fields freely
type Live = any;

const job = (
  spec: Record<string, unknown>,
  containers: Record<string, unknown>[],
  labels?: Record<string, string>,
) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', ...(labels ? { labels } : {}) },
  spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers } } },
});

describe('three-way patches', () => {
  const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.35', ...extra });

  it('nothing changed: an empty patch (kubectl says unchanged), whatever the server added', () => {
    const file = job({ parallelism: 1 }, [c('a')]);
    const live = structuredClone(file) as Live;
    live.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } };
    live.spec.backoffLimit = 6;
    live.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    live.metadata.uid = 'u';
    expect(threeWayPatch(file, file, live, jobSchema)).toEqual({});
  });

  it('a changed value, a dropped label (null), a dropped container ($patch: delete) with the order kept', () => {
    const before = job({ parallelism: 1 }, [c('a'), c('b', { command: ['x'] })], { team: 'a', keep: 'b' });
    const after = job({ parallelism: 2 }, [c('a', { command: ['y', 'z'] })], { keep: 'b' });
    const live = structuredClone(before);
    expect(threeWayPatch(before, after, live, jobSchema)).toEqual({
      metadata: { labels: { team: null } },
      spec: {
        parallelism: 2,
        template: {
          spec: {
            containers: [
              { name: 'a', command: ['y', 'z'] },
              { $patch: 'delete', name: 'b' },
            ],
            '$setElementOrder/containers': [{ name: 'a' }],
          },
        },
      },
    });
    // Applied by the server's strategic merge, the patch gives what the file says.
    const merged = strategicMerge(live, threeWayPatch(before, after, live, jobSchema), jobSchema) as typeof after;
    expect(merged.metadata.labels).toEqual({ keep: 'b' });
    expect(merged.spec.template.spec.containers).toEqual([c('a', { command: ['y', 'z'] })]);
  });

  it("another writer's change to a field the file sets is put back; its own fields are left", () => {
    const file = job({ parallelism: 1 }, [c('a')]);
    const live = structuredClone(file) as Live;
    live.spec.parallelism = 5; // kubectl scale
    live.metadata.labels = { added: 'by-someone' };
    expect(threeWayPatch(file, file, live, jobSchema)).toEqual({ spec: { parallelism: 1 } });
  });

  it('atomic lists whole; a field dropped that is already gone is not deleted; no last-applied: no deletions', () => {
    const before = job({}, [c('a', { args: ['1', '2'] })]);
    const after = job({}, [c('a', { args: ['1'] })]);
    expect(threeWayPatch(before, after, before, jobSchema)).toEqual({
      spec: {
        template: {
          spec: { containers: [{ name: 'a', args: ['1'] }], '$setElementOrder/containers': [{ name: 'a' }] },
        },
      },
    });
    const cm = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data,
    });
    expect(threeWayPatch(cm({ a: '1', b: '2' }), cm({ a: '1' }), cm({ a: '1' }), configMapSchema)).toEqual({});
    expect(threeWayPatch({}, cm({ a: '1' }), cm({ a: '1', b: '2' }), configMapSchema)).toEqual({});
    expect(threeWayPatch(cm({ a: '1', b: '2' }), cm({ a: '1' }), cm({ a: '1', b: '2' }), configMapSchema)).toEqual({
      data: { b: null },
    });
  });

  it('a set (finalizers): additions, and deletions from the primitive list', () => {
    const meta = (finalizers: string[]) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', finalizers },
    });
    expect(threeWayPatch(meta(['a', 'b']), meta(['a', 'c']), meta(['a', 'b', 'z']), configMapSchema)).toEqual({
      metadata: {
        finalizers: ['c'],
        '$deleteFromPrimitiveList/finalizers': ['b'],
        '$setElementOrder/finalizers': ['a', 'c'],
      },
    });
  });

  it('the patch kubectl 1.32 sent for the same change (recorded with -v=8), annotation aside', () => {
    const env = (...names: string[]) => names.map((n, i) => ({ name: n, value: String(i + 1) }));
    const before = job({ parallelism: 1, suspend: true }, [c('a', { command: ['x'], env: env('A', 'B') }), c('b')], {
      team: 'a',
      keep: 'b',
    });
    const after = job({ parallelism: 2, suspend: true }, [c('a', { command: ['x'], env: env('A') })], { keep: 'b' });
    const live = structuredClone(before) as Live;
    live.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } };
    live.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    expect(threeWayPatch(before, after, live, jobSchema)).toEqual({
      metadata: { labels: { team: null } },
      spec: {
        parallelism: 2,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }],
            containers: [
              { '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], name: 'a' },
              { $patch: 'delete', name: 'b' },
            ],
          },
        },
      },
    });
  });
});
