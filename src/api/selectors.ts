// Label and field selector strings, as `-l` and `?labelSelector=` carry them.
import type { LabelSelector, LabelSelectorRequirement } from './types.js';

export class SelectorError extends Error {}

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h` into a LabelSelector. */
export function parseLabelSelector(text: string): LabelSelector {
  const sel: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() || parts.length) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) throw new SelectorError(`unable to parse requirement: found '', expected: identifier`);
    let m: RegExpExecArray | null;
    const req = (key: string, operator: LabelSelectorRequirement['operator'], values?: string[]) =>
      sel.matchExpressions!.push({ key, operator, ...(values ? { values } : {}) });
    if ((m = /^([^\s=!(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      req(
        m[1],
        m[2] === 'in' ? 'In' : 'NotIn',
        m[3]
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      );
    } else if ((m = /^([^\s=!(),]+)\s*!=\s*([^\s=!(),]*)$/.exec(p))) {
      req(m[1], 'NotIn', [m[2]]);
    } else if ((m = /^([^\s=!(),]+)\s*==?\s*([^\s=!(),]*)$/.exec(p))) {
      sel.matchLabels![m[1]] = m[2];
    } else if ((m = /^!([^\s=!(),]+)$/.exec(p))) {
      req(m[1], 'DoesNotExist');
    } else if ((m = /^([^\s=!(),]+)$/.exec(p))) {
      req(m[1], 'Exists');
    } else {
      throw new SelectorError(`unable to parse requirement: ${p}`);
    }
  }
  return sel;
}

export interface FieldRequirement {
  path: string;
  equal: boolean;
  value: string;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  if (!text.trim()) return [];
  return text.split(',').map((p) => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(p);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${p}'`);
    return { path: m[1], equal: m[2] !== '!=', value: m[3] };
  });
}

/** A field selector's label where it is not the field's path. */
const FIELD_PATHS: Record<string, string> = { source: 'source.component', 'status.successful': 'status.succeeded' };
/** The value a selectable field has when the object leaves it out. */
const FIELD_DEFAULTS: Record<string, string> = { 'status.successful': '0', 'spec.hostNetwork': 'false' };

/**
 * Refuses a field selector naming a field the kind does not select on, with the API server's
 * message: `fieldLabels` are the kind's own (undefined: only the object's name and namespace).
 */
export function checkFieldLabels(reqs: FieldRequirement[], fieldLabels: readonly string[] | undefined): void {
  for (const { path } of reqs) {
    if (path === 'metadata.name' || path === 'metadata.namespace' || fieldLabels?.includes(path)) continue;
    throw new SelectorError(
      fieldLabels
        ? `field label not supported: ${path}`
        : `"${path}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}

/** Whether a field's value could be its default, left out of the stored object. */
export const isFieldDefault = (label: string, value: string): boolean => (FIELD_DEFAULTS[label] ?? '') === value;

export function fieldValue(obj: unknown, label: string): string {
  const path = FIELD_PATHS[label] ?? label;
  let v: unknown = obj;
  for (const seg of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return v === undefined || v === null ? (FIELD_DEFAULTS[label] ?? '') : String(v);
}

export function matchesFields(obj: unknown, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => (fieldValue(obj, r.path) === r.value) === r.equal);
}
