// `limit` and `continue` (server/paging.ts): pages in key order, a token that resumes after the
// last key even when items were added or removed meanwhile, the count that remains, and a token
// that is not one refused in the API server's words.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../src/api/index.js';
import { listKey, pageOf } from '../../src/server/paging.js';

const obj = (namespace: string, name: string) => ({ metadata: { namespace, name } });
const names = (p: { items: { metadata: { name?: string } }[] }) => p.items.map((o) => o.metadata.name);

describe('list paging', () => {
  const items = [obj('a', 'x'), obj('a', 'y'), obj('b', 'a'), obj('b', 'b'), obj('c', 'z')];

  it('pages in order with a token and the count that remains', () => {
    const first = pageOf(items, listKey, new URLSearchParams({ limit: '2' }), '7');
    expect(names(first)).toEqual(['x', 'y']);
    expect(first.remainingItemCount).toBe(3);
    const second = pageOf(items, listKey, new URLSearchParams({ limit: '2', continue: first.continue! }), '7');
    expect(names(second)).toEqual(['a', 'b']);
    const last = pageOf(items, listKey, new URLSearchParams({ limit: '2', continue: second.continue! }), '7');
    expect(names(last)).toEqual(['z']);
    expect(last.continue).toBeUndefined();
  });

  it('resumes after the last key it gave, whatever changed since', () => {
    const first = pageOf(items, listKey, new URLSearchParams({ limit: '2' }), '7');
    const changed = [obj('a', 'w'), obj('a', 'y2'), ...items.slice(2)];
    // a/w sorts before the last key given (a/y): not seen; a/y2 after it: seen.
    expect(names(pageOf(changed, listKey, new URLSearchParams({ continue: first.continue! }), '8'))).toEqual([
      'y2',
      'a',
      'b',
      'z',
    ]);
  });

  it('gives everything without a limit, and refuses a token that is not one', () => {
    expect(names(pageOf(items, listKey, new URLSearchParams(), '7'))).toHaveLength(5);
    expect(names(pageOf(items, listKey, new URLSearchParams({ limit: '0' }), '7'))).toHaveLength(5);
    expect(() => pageOf(items, listKey, new URLSearchParams({ continue: 'bm9wZQ' }), '7')).toThrow(StatusError);
    try {
      pageOf(items, listKey, new URLSearchParams({ continue: 'bm9wZQ' }), '7');
    } catch (e) {
      expect((e as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest' });
      expect((e as StatusError).status.message).toMatch(/^continue key is not valid: /);
    }
  });
});
