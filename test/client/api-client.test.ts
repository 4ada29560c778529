// Lists in pages, as kubectl asks for them: `limit=500`, then each page's `continue` token until
// a page has none (a cluster with more than 500 Jobs answers in several).
import { describe, expect, it } from 'vitest';
import { ApiClient, localEndpoint } from '../../src/client/index.js';

describe('ApiClient.listAll', () => {
  it('follows continue tokens and keeps the last page’s resourceVersion', async () => {
    const client = new ApiClient(localEndpoint({ port: 1, token: 't', home: '/h', ca: Buffer.from('') }));
    const asked: string[] = [];
    const pages: Record<string, unknown> = {
      '': { items: [1, 2], metadata: { resourceVersion: '10', continue: 'p2' } },
      p2: { items: [3], metadata: { resourceVersion: '10', continue: 'p3' } },
      p3: { items: [4], metadata: { resourceVersion: '11' } },
    };
    client.get = (async (path: string) => {
      asked.push(path);
      return pages[new URL(path, 'https://x').searchParams.get('continue') ?? ''];
    }) as typeof client.get;
    const list = await client.listAll<number>('/apis/batch/v1/jobs', new URLSearchParams({ labelSelector: 'a=b' }));
    expect(list).toEqual({ items: [1, 2, 3, 4], metadata: { resourceVersion: '11' } });
    expect(asked).toEqual([
      '/apis/batch/v1/jobs?labelSelector=a%3Db&limit=500',
      '/apis/batch/v1/jobs?labelSelector=a%3Db&limit=500&continue=p2',
      '/apis/batch/v1/jobs?labelSelector=a%3Db&limit=500&continue=p3',
    ]);
  });
});
