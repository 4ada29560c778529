// Strategic merge patch (apimachinery's strategicpatch), as kubectl sends it for `apply`, `edit`
// and `patch --type strategic`, for the kinds jobctl serves. A map merges key by key (`null`
// deletes); a list replaces, unless its field merges: by a key (containers by `name`, env by
// `name`, ...) or, for lists of strings, as a set. Directives: `$patch: replace|delete|merge`,
// `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`.
import { isObj, PatchError, type Obj } from './patch.js';
import { elementOf, structOf, type Schema } from './schema.js';

/** The lists that merge, by the struct they are in: Kubernetes' `patchStrategy` tags. */
const MERGING: Record<string, { key?: string }> = {
  'ObjectMeta.finalizers': {},
  'ObjectMeta.ownerReferences': { key: 'uid' },
  'PodSpec.containers': { key: 'name' },
  'PodSpec.initContainers': { key: 'name' },
  'PodSpec.ephemeralContainers': { key: 'name' },
  'PodSpec.volumes': { key: 'name' },
  'PodSpec.imagePullSecrets': { key: 'name' },
  'PodSpec.hostAliases': { key: 'ip' },
  'PodSpec.topologySpreadConstraints': { key: 'topologyKey' },
  'PodSpec.schedulingGates': { key: 'name' },
  'PodSpec.resourceClaims': { key: 'name' },
  'Container.ports': { key: 'containerPort' },
  'Container.env': { key: 'name' },
  'Container.volumeMounts': { key: 'mountPath' },
  'Container.volumeDevices': { key: 'devicePath' },
  'JobStatus.conditions': { key: 'type' },
};

/** How a struct's list field merges (by a key, or as a set), or undefined for an atomic list. */
export const listMergeOf = (struct: string, field: string): { key?: string } | undefined =>
  MERGING[`${struct}.${field}`];

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** A patch value without its directives, for where it replaces or is added whole. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x.$patch !== undefined)).map(clean);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = clean(x);
  return out;
}

export function strategicMerge(original: unknown, patch: unknown, schema: Schema | undefined): unknown {
  if (!isObj(patch)) return clean(patch);
  const directive = patch.$patch;
  if (directive === 'replace') return clean(patch);
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge')
    throw new PatchError(`Unknown patch type: ${String(directive)}`);
  const struct = structOf(schema);
  const mergingOf = (field: string) => (struct ? MERGING[`${struct.name}.${field}`] : undefined);
  const out: Obj = isObj(original) ? { ...original } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const fieldSchema = struct ? struct.fields[k] : elementOf(schema);
    const merging = mergingOf(k);
    let next: unknown;
    if (Array.isArray(v) && merging) {
      next = merging.key
        ? mergeByKey(out[k], v, merging.key, elementOf(fieldSchema), patch[SET_ORDER + k])
        : mergeSet(out[k], v, patch[DELETE_FROM + k]);
    } else if (isObj(v)) next = strategicMerge(out[k], v, fieldSchema);
    else next = clean(v);
    if (next === undefined) delete out[k];
    else out[k] = next;
  }
  for (const [k, v] of Object.entries(patch)) {
    // Directives about lists the patch does not otherwise name.
    if (k.startsWith(DELETE_FROM) && !(k.slice(DELETE_FROM.length) in patch)) {
      const name = k.slice(DELETE_FROM.length);
      out[name] = mergeSet(out[name], [], v);
    } else if (k.startsWith(SET_ORDER) && !(k.slice(SET_ORDER.length) in patch)) {
      const name = k.slice(SET_ORDER.length);
      const merging = mergingOf(name);
      if (merging?.key && Array.isArray(out[name]))
        out[name] = ordered(out[name] as unknown[], Array.isArray(v) ? v : [], merging.key);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function mergeSet(original: unknown, add: unknown[], remove: unknown): unknown[] {
  const drop = new Set(Array.isArray(remove) ? remove : []);
  const out = (Array.isArray(original) ? original : []).filter((x) => !drop.has(x));
  for (const x of add) if (!out.includes(x) && !drop.has(x)) out.push(x);
  return out;
}

function mergeByKey(
  original: unknown,
  patch: unknown[],
  key: string,
  item: Schema | undefined,
  order: unknown,
): unknown[] {
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return clean(patch) as unknown[];
  let out = (Array.isArray(original) ? original : []).slice();
  for (const p of patch) {
    if (!isObj(p)) throw new PatchError(`a list merged by "${key}" holds objects, not ${JSON.stringify(p)}`);
    if (!(key in p)) throw new PatchError(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    const at = out.findIndex((x) => isObj(x) && x[key] === p[key]);
    if (p.$patch === 'delete') {
      out = out.filter((x) => !(isObj(x) && x[key] === p[key]));
      continue;
    }
    const merged = strategicMerge(at >= 0 ? out[at] : undefined, p, item);
    if (at >= 0) out[at] = merged;
    else out.push(merged);
  }
  return Array.isArray(order) ? ordered(out, order, key) : out;
}

/** `$setElementOrder`: the listed elements in that order, the others after them as they were. */
function ordered(list: unknown[], order: unknown[], key: string): unknown[] {
  const rank = new Map(order.filter(isObj).map((o, i) => [o[key], i]));
  const listed = list.filter((x) => isObj(x) && rank.has(x[key]));
  listed.sort((a, b) => rank.get((a as Obj)[key])! - rank.get((b as Obj)[key])!);
  return [...listed, ...list.filter((x) => !(isObj(x) && rank.has(x[key])))];
}
