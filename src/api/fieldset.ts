// Field sets, as server-side apply tracks them (structured-merge-diff's fieldpath): which fields of
// an object a manager set, in `metadata.managedFields`' FieldsV1 form — `f:name` for a field,
// `k:{"name":"c"}` for an item of a list merged by a key, `v:"x"` for an item of a set, `.` for
// the item itself; an atomic list or a loosely typed sub-tree is one leaf.
import { isObj, type Obj } from './patch.js';
import { structOf, type Schema } from './schema.js';
import { listMergeOf } from './strategic-merge.js';

export type FieldSet = { [key: string]: FieldSet };
/** One leaf of a field set: the keys from the root. */
export type FieldPath = string[];

/** Fields no manager owns: identity, bookkeeping and the status of the main resource. */
const UNOWNED_TOP = new Set(['apiVersion', 'kind', 'status']);
const UNOWNED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** The fields an object sets, as a field set. */
export function fieldSetOf(obj: unknown, schema: Schema | undefined): FieldSet {
  const out: FieldSet = {};
  if (!isObj(obj)) return out;
  const struct = structOf(schema);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || UNOWNED_TOP.has(k)) continue;
    if (k === 'metadata' && isObj(v)) {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => !UNOWNED_META.has(mk)));
      const set = walk(meta, struct?.fields.metadata);
      if (Object.keys(set).length) out['f:metadata'] = set;
      continue;
    }
    out[`f:${k}`] = walk(v, struct?.fields[k], struct?.name, k);
  }
  return out;
}

function walk(v: unknown, schema: Schema | undefined, parent?: string, field?: string): FieldSet {
  if (Array.isArray(v)) {
    const merging = parent && field ? listMergeOf(parent, field) : undefined;
    if (!merging) return {}; // atomic
    const item = schema?.t === 'list' ? schema.item : undefined;
    const out: FieldSet = {};
    for (const x of v) {
      if (merging.key && isObj(x)) out[itemKey(merging.key, x)] = { '.': {}, ...walk(x, item) };
      else if (!merging.key) out[`v:${JSON.stringify(x)}`] = {};
    }
    return out;
  }
  if (!isObj(v) || !(schema?.t === 'struct' || schema?.t === 'map')) return {};
  const struct = structOf(schema);
  const out: FieldSet = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || x === null) continue;
    const child = struct ? struct.fields[k] : schema.t === 'map' ? schema.value : undefined;
    // An empty map is as good as none (Kubernetes omits it), unlike an empty struct.
    if (child?.t === 'map' && isObj(x) && Object.keys(x).length === 0) continue;
    out[`f:${k}`] = walk(x, child, struct?.name, k);
  }
  return out;
}

const itemKey = (key: string, item: Obj) => `k:${JSON.stringify({ [key]: item[key] })}`;

/** Every leaf of a set (a list item's `.` is a leaf of its own). */
export function leaves(set: FieldSet, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [];
  for (const [k, child] of Object.entries(set)) {
    const path = [...prefix, k];
    if (Object.keys(child).length === 0) out.push(path);
    else out.push(...leaves(child, path));
  }
  return out;
}

/** The set holding exactly these leaves. */
export function toFieldSet(paths: Iterable<FieldPath>): FieldSet {
  const out: FieldSet = {};
  for (const path of paths) {
    let node = out;
    for (const k of path) node = node[k] ??= {};
  }
  return out;
}

export const pathKey = (p: FieldPath): string => p.join('\u0000');

/** How Kubernetes prints a path in a conflict: `.spec.template.spec.containers[name="c"].image`. */
export function pathString(p: FieldPath): string {
  return p
    .filter((k) => k !== '.')
    .map((k) => {
      if (k.startsWith('f:')) return `.${k.slice(2)}`;
      if (k.startsWith('v:')) return `[=${k.slice(2)}]`;
      const key = JSON.parse(k.slice(2)) as Obj;
      return `[${Object.entries(key)
        .map(([n, v]) => `${n}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** The item of a list a `k:` or `v:` key names, and where it is. */
function find(list: unknown[], k: string): number {
  const want = JSON.parse(k.slice(2)) as unknown;
  if (k.startsWith('v:')) return list.findIndex((x) => JSON.stringify(x) === JSON.stringify(want));
  return list.findIndex((x) => isObj(x) && Object.entries(want as Obj).every(([n, v]) => x[n] === v));
}

/** The value at a path, or undefined where there is none. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (k === '.') continue;
    if (k.startsWith('f:')) cur = isObj(cur) ? cur[k.slice(2)] : undefined;
    else cur = Array.isArray(cur) ? cur[find(cur, k)] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the field (or list item, for a path ending in `.` or `v:`) at a path. */
export function removeAt(obj: unknown, path: FieldPath): void {
  const p = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  const parent = valueAt(obj, p.slice(0, -1));
  const last = p[p.length - 1];
  if (last?.startsWith('f:') && isObj(parent)) delete parent[last.slice(2)];
  else if (last && Array.isArray(parent)) {
    const at = find(parent, last);
    if (at >= 0) parent.splice(at, 1);
  }
}
