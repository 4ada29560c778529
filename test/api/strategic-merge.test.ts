// Strategic merge patch for the kinds jobctl serves, against what apimachinery's strategicpatch
// does with the same inputs (its own test cases' shapes).
import { describe, expect, it } from 'vitest';
import { PatchError } from '../../src/api/index.js';
import { jobSchema } from '../../src/api/schema.js';
import { strategicMerge } from '../../src/api/strategic-merge.js';

const template = (spec: object) => ({ spec: { template: { spec } } });
const job = (spec: object) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, ...template(spec) });
const merge = (original: object, patch: object) => strategicMerge(original, patch, jobSchema);

const c = (name: string, extra: object = {}) => ({ name, image: 'busybox:1.35', ...extra });

describe('strategic merge patch', () => {
  it.each([
    [
      'containers merge by name: one changed, the other kept',
      job({ containers: [c('a'), c('b')] }),
      template({ containers: [{ name: 'b', image: 'x' }] }),
      job({ containers: [c('a'), c('b', { image: 'x' })] }),
    ],
    [
      'env merges by name inside a container; null drops a field',
      job({ containers: [c('a', { env: [{ name: 'A', value: '1' }], workingDir: '/w' })] }),
      template({ containers: [{ name: 'a', env: [{ name: 'B', value: '2' }], workingDir: null }] }),
      job({
        containers: [
          c('a', {
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          }),
        ],
      }),
    ],
    [
      '$patch: delete removes an element by its key',
      job({ containers: [c('a'), c('b')] }),
      template({ containers: [{ name: 'a', $patch: 'delete' }] }),
      job({ containers: [c('b')] }),
    ],
    [
      '$setElementOrder orders the merged list',
      job({ containers: [c('a'), c('b')] }),
      template({
        '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
        containers: [{ name: 'a', image: 'y' }],
      }),
      job({ containers: [c('b'), c('a', { image: 'y' })] }),
    ],
    [
      'a list without a strategy (command) replaces; $patch: replace replaces a merging one',
      job({ containers: [c('a', { command: ['x', 'y'] })], volumes: [{ name: 'v', emptyDir: {} }] }),
      template({
        containers: [{ name: 'a', command: ['z'] }],
        volumes: [{ name: 'w', emptyDir: {} }, { $patch: 'replace' }],
      }),
      job({ containers: [c('a', { command: ['z'] })], volumes: [{ name: 'w', emptyDir: {} }] }),
    ],
    [
      'finalizers merge as a set; $deleteFromPrimitiveList removes',
      { metadata: { name: 'j', finalizers: ['a', 'b'] } },
      { metadata: { finalizers: ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
      { metadata: { name: 'j', finalizers: ['a', 'c'] } },
    ],
    [
      '$retainKeys keeps only the listed fields of a volume (its source switched)',
      job({ containers: [], volumes: [{ name: 'v', emptyDir: {} }] }),
      template({ volumes: [{ name: 'v', hostPath: { path: '/d' }, $retainKeys: ['hostPath', 'name'] }] }),
      job({ containers: [], volumes: [{ name: 'v', hostPath: { path: '/d' } }] }),
    ],
    [
      'maps merge and null deletes, as in a merge patch',
      { metadata: { name: 'j', labels: { a: '1', b: '2' } } },
      { metadata: { labels: { b: null, c: '3' } } },
      { metadata: { name: 'j', labels: { a: '1', c: '3' } } },
    ],
  ])('%s', (_name, original, patch, want) => {
    expect(merge(original, patch)).toEqual(want);
  });

  it('refuses an element without the merge key, and an unknown directive', () => {
    expect(() => merge(job({ containers: [c('a')] }), template({ containers: [{ image: 'x' }] }))).toThrow(PatchError);
    expect(() => merge(job({}), { $patch: 'sideways' })).toThrow('Unknown patch type: sideways');
  });
});
