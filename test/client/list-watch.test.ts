// The one client watch: list, watch from the list's revision, reopen a dropped stream from the
// last revision seen, re-list on 410 Gone and report the differences as events.
import { describe, expect, it } from 'vitest';
import { makeStatus, StatusError, type ApiObject } from '../../src/api/index.js';
import { listAndWatch, type ApiClient, type WatchEvent } from '../../src/client/index.js';

const obj = (name: string, rv: number): ApiObject =>
  ({
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name, namespace: 'default', resourceVersion: String(rv) },
  }) as ApiObject;

/** A server script: each list answers the next of `lists`; each watch plays the next of `streams`. */
function fakeClient(lists: { items: ApiObject[]; rv: number }[], streams: (WatchEvent[] | 'gone')[]) {
  const calls: string[] = [];
  const client = {
    async get(path: string) {
      calls.push(`GET ${path}`);
      const l = lists.shift()!;
      return { items: l.items, metadata: { resourceVersion: String(l.rv) } };
    },
    async *watch(path: string, signal?: AbortSignal) {
      calls.push(`WATCH ${path}`);
      const s = streams.shift();
      // The script has ended: the stream stays open until aborted, as the server's does.
      if (s === undefined) return await new Promise((r) => signal?.addEventListener('abort', r));
      if (s === 'gone') throw new StatusError(makeStatus(410, 'Expired', 'too old resource version'));
      for (const ev of s) yield ev;
    },
  };
  return { client: client as unknown as ApiClient, calls };
}

describe('listAndWatch', () => {
  it("lists, then watches from the list's revision, and stops when a handler says so", async () => {
    const { client, calls } = fakeClient(
      [{ items: [obj('a', 1)], rv: 5 }],
      [
        [
          { type: 'MODIFIED', object: obj('a', 6) },
          { type: 'ADDED', object: obj('b', 7) },
        ],
      ],
    );
    const seen: string[] = [];
    const stopped = await listAndWatch(
      client,
      '/apis/batch/v1/namespaces/default/jobs',
      {
        onList: (items) => void seen.push(`list ${items.map((i) => i.metadata.name)}`),
        onEvent: (ev) => (seen.push(`${ev.type} ${ev.object.metadata.name}`), ev.object.metadata.name === 'b'),
      },
      { query: new URLSearchParams({ labelSelector: 'x=y' }) },
    );
    expect(stopped).toBe(true);
    expect(seen).toEqual(['list a', 'MODIFIED a', 'ADDED b']);
    expect(calls).toEqual([
      'GET /apis/batch/v1/namespaces/default/jobs?labelSelector=x%3Dy',
      'WATCH /apis/batch/v1/namespaces/default/jobs?labelSelector=x%3Dy&watch=true&resourceVersion=5&allowWatchBookmarks=true',
    ]);
  });

  it('reopens a dropped stream from the last revision it saw', async () => {
    const { client, calls } = fakeClient(
      [{ items: [], rv: 3 }],
      [[{ type: 'ADDED', object: obj('a', 4) }], [{ type: 'DELETED', object: obj('a', 9) }]],
    );
    await listAndWatch(client, '/p', { onEvent: (ev) => ev.type === 'DELETED' }, { retryMs: 1 });
    expect(calls.filter((c) => c.startsWith('WATCH'))).toEqual([
      'WATCH /p?watch=true&resourceVersion=3&allowWatchBookmarks=true',
      'WATCH /p?watch=true&resourceVersion=4&allowWatchBookmarks=true',
    ]);
  });

  it('a bookmark moves the revision a dropped stream resumes from, and is no event', async () => {
    const bookmark = { type: 'BOOKMARK', object: obj('', 40) } as WatchEvent;
    const { client, calls } = fakeClient(
      [{ items: [], rv: 3 }],
      [[bookmark], [{ type: 'ADDED', object: obj('a', 41) }]],
    );
    const seen: string[] = [];
    await listAndWatch(client, '/p', { onEvent: (ev) => (seen.push(ev.type), true) }, { retryMs: 1 });
    expect(seen).toEqual(['ADDED']);
    expect(calls.filter((c) => c.startsWith('WATCH'))[1]).toBe(
      'WATCH /p?watch=true&resourceVersion=40&allowWatchBookmarks=true',
    );
  });

  it('on 410 Gone lists again and reports what changed meanwhile', async () => {
    const { client } = fakeClient(
      [
        { items: [obj('a', 1), obj('b', 2), obj('c', 3)], rv: 3 },
        { items: [obj('a', 1), obj('c', 8), obj('d', 9)], rv: 9 },
      ],
      ['gone', [{ type: 'ADDED', object: obj('e', 10) }]],
    );
    const seen: string[] = [];
    await listAndWatch(client, '/p', {
      onEvent: (ev) => (seen.push(`${ev.type} ${ev.object.metadata.name}`), ev.object.metadata.name === 'e'),
    });
    expect(seen).toEqual(['DELETED b', 'MODIFIED c', 'ADDED d', 'ADDED e']);
  });

  it('an aborted watch resolves false', async () => {
    const { client } = fakeClient([{ items: [], rv: 1 }], []);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    expect(await listAndWatch(client, '/p', { onEvent: () => true }, { signal: abort.signal })).toBe(false);
  });
});
