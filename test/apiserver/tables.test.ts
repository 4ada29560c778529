import { describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../src/api/index.js';
import { toTable, wantsTable } from '../../src/apiserver/index.js';

describe('server-side Tables', () => {
  it.each([
    [
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      true,
    ],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', true],
    ['application/json', false],
    ['application/json, application/json;as=Table;v=v1;g=meta.k8s.io', false],
    ['application/json;as=Table;v=v1;g=other.io', false],
    [undefined, false],
  ])('Accept %s → Table %s', (accept, want) => {
    expect(wantsTable(accept)).toBe(want);
  });

  it("a ConfigMap's row: Kubernetes' columns, cells and the row object as metadata", () => {
    const cm: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
      data: { a: '1', b: '2' },
    };
    const now = Date.parse('2026-01-01T00:05:00Z');
    const t = toTable('ConfigMap', [cm], now, { resourceVersion: '7', includeObject: null }) as {
      columnDefinitions: { name: string; type: string; priority: number }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: unknown } }[];
      metadata: unknown;
    };
    expect(t.metadata).toEqual({ resourceVersion: '7' });
    expect(t.columnDefinitions.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Data', 'integer', 0],
      ['Age', 'string', 0],
    ]);
    expect(t.rows[0].cells).toEqual(['cfg', 2, '5m']);
    expect(t.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: cm.metadata,
    });
    expect(toTable('ConfigMap', [cm], now, { includeObject: 'None', withColumns: false })).toMatchObject({
      columnDefinitions: [],
      rows: [{ cells: ['cfg', 2, '5m'] }],
    });
  });
});
