// Client-side apply's patch, as kubectl builds it (apimachinery's CreateThreeWayMergePatch): from
// the configuration applied last time (`original`, the last-applied annotation), the one applied
// now (`modified`) and the live object (`current`). What `modified` sets differently from
// `current` is sent; what `original` set and `modified` no longer does is deleted (`null`,
// `$patch: delete` for an item of a list merged by a key, `$deleteFromPrimitiveList` for a set);
// fields neither names (defaults, other writers' fields) are left alone. A list merged by a key
// that the patch touches carries `$setElementOrder`, as kubectl's does.
import { isObj, type Obj } from './patch.js';
import { childOf, elementOf, structOf, type Schema } from './schema.js';
import { listMergeOf } from './strategic-merge.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The patch that turns `current` into what `modified` asks for, deleting what only `original` had. */
export function threeWayPatch(original: unknown, modified: unknown, current: unknown, schema: Schema | undefined): Obj {
  return diffMap(
    isObj(original) ? original : {},
    isObj(modified) ? modified : {},
    isObj(current) ? current : {},
    schema,
  );
}

function diffMap(original: Obj, modified: Obj, current: Obj, schema: Schema | undefined): Obj {
  const patch: Obj = {};
  const struct = structOf(schema);
  for (const [k, m] of Object.entries(modified)) {
    const c = current[k];
    const o = original[k];
    const child = childOf(schema, k);
    const merging = struct && Array.isArray(m) ? listMergeOf(struct.name, k) : undefined;
    if (merging && Array.isArray(m)) {
      const list = merging.key
        ? diffKeyedList(arr(o), m, arr(c), merging.key, elementOf(child))
        : diffSet(arr(o), m, arr(c));
      if (list.items !== undefined) patch[k] = list.items;
      if (list.deleteFromPrimitiveList) patch[`$deleteFromPrimitiveList/${k}`] = list.deleteFromPrimitiveList;
      if (list.items !== undefined || list.deleteFromPrimitiveList) {
        patch[`$setElementOrder/${k}`] = merging.key
          ? m.map((x) => (isObj(x) ? { [merging.key!]: x[merging.key!] } : x))
          : m;
      }
    } else if (isObj(m) && isObj(c)) {
      const sub = diffMap(isObj(o) ? o : {}, m, c, child);
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (!same(m, c)) {
      patch[k] = m;
    }
  }
  // Set last time, gone from this configuration: deleted (if still there).
  for (const k of Object.keys(original)) {
    if (!(k in modified) && k in current) patch[k] = null;
  }
  return patch;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function diffKeyedList(
  original: unknown[],
  modified: unknown[],
  current: unknown[],
  key: string,
  item: Schema | undefined,
): { items?: unknown[]; deleteFromPrimitiveList?: unknown[] } {
  const byKey = (list: unknown[]) => new Map(list.filter(isObj).map((x) => [JSON.stringify(x[key]), x]));
  const cur = byKey(current);
  const orig = byKey(original);
  const mod = byKey(modified);
  const items: unknown[] = [];
  for (const m of modified.filter(isObj)) {
    const c = cur.get(JSON.stringify(m[key]));
    if (!c) {
      items.push(m);
      continue;
    }
    const sub = diffMap(orig.get(JSON.stringify(m[key])) ?? {}, m, c, item);
    if (Object.keys(sub).length) items.push({ [key]: m[key], ...sub });
  }
  for (const [k, o] of orig) {
    if (!mod.has(k) && cur.has(k)) items.push({ $patch: 'delete', [key]: o[key] });
  }
  return { items: items.length ? items : undefined };
}

function diffSet(
  original: unknown[],
  modified: unknown[],
  current: unknown[],
): { items?: unknown[]; deleteFromPrimitiveList?: unknown[] } {
  const added = modified.filter((x) => !current.some((c) => same(c, x)));
  const removed = original.filter((x) => !modified.some((m) => same(m, x)) && current.some((c) => same(c, x)));
  return { items: added.length ? added : undefined, deleteFromPrimitiveList: removed.length ? removed : undefined };
}
