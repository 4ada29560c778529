// Server-side printing: a list or an object as a meta.k8s.io/v1 Table, what kubectl asks for
// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) to print `get`. The columns are
// api/columns.ts, which jobctl's own printers read too.
import { columnsOf, type ApiObject } from '../api/index.js';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Whether the request's Accept header asks for a Table (first among what it accepts). */
export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  const params = new Set(first.split(';').map((p) => p.trim()));
  return params.has('as=Table') && params.has('g=meta.k8s.io') && (params.has('v=v1') || params.has('v=v1beta1'));
}

/** The row object Kubernetes sends by default (`includeObject=Metadata`), or the whole object or none. */
function rowObject(o: ApiObject, include: string | null): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(
  kind: string,
  objects: ApiObject[],
  nowMs: number,
  opts: {
    resourceVersion?: string;
    includeObject: string | null;
    withColumns?: boolean;
    /** A paged list's token for the next page, and how many items remain after this one. */
    continue?: string;
    remainingItemCount?: number;
  },
): object {
  const columns = columnsOf(kind) ?? [];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(opts.resourceVersion === undefined ? {} : { resourceVersion: opts.resourceVersion }),
      ...(opts.continue ? { continue: opts.continue, remainingItemCount: opts.remainingItemCount } : {}),
    },
    columnDefinitions:
      opts.withColumns === false
        ? []
        : columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? '',
            description: c.description,
            priority: c.priority,
          })),
    rows: objects.map((o) => {
      const object = rowObject(o, opts.includeObject);
      return { cells: columns.map((c) => c.cell(o, nowMs)), ...(object ? { object } : {}) };
    }),
  };
}
