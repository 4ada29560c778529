// Object output: -o yaml, -o json, -o name, as kubectl prints them (keys sorted, as Go maps marshal).
import { kindQualified, resourceByKind, type ApiObject } from '../api/index.js';

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const val = (v as Record<string, unknown>)[k];
      if (val !== undefined) out[k] = sortKeys(val);
    }
    return out;
  }
  return v;
}

/** yaml loads only for -o yaml. */
export async function toYaml(obj: unknown): Promise<string> {
  const { yamlText } = await import('./yaml-text.js');
  return yamlText(sortKeys(obj));
}

export function toJson(obj: unknown): string {
  return JSON.stringify(sortKeys(obj), null, 4) + '\n';
}

/** `job.batch/NAME`, `pod/NAME`, `configmap/NAME`. */
export function kindSlashName(obj: Pick<ApiObject, 'kind' | 'metadata'>): string {
  const r = resourceByKind(obj.kind);
  const kind = r ? kindQualified(r) : obj.kind.toLowerCase();
  return `${kind}/${obj.metadata.name ?? ''}`;
}

/** A list of objects in kubectl's `kind: List` wrapper (for -o yaml|json of several objects). */
export function asList(items: unknown[]): unknown {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** The object without `metadata.managedFields`, as kubectl prints objects unless `--show-managed-fields`. */
export function hideManagedFields<T extends Pick<ApiObject, 'metadata'>>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata };
}
