// metadata.managedFields, as the API server's field manager keeps them: an update (create, PUT,
// patch) gives its manager the fields it changed and takes them from the others; a server-side
// apply owns exactly the fields of the configuration it sends, refuses to change a field another
// manager owns (409, with Kubernetes' message) unless forced, and removes the fields it applied
// before and no longer applies, when no one else owns them.
import { makeStatus, StatusError, toRfc3339, type ApiObject, type ManagedFieldsEntry } from '../api/index.js';
import {
  fieldSetOf,
  leaves,
  pathKey,
  pathString,
  removeAt,
  toFieldSet,
  valueAt,
  type FieldPath,
  type FieldSet,
} from '../api/fieldset.js';
import type { Schema } from '../api/schema.js';

/** The longest manager name kept (Kubernetes' limit); longer ones are cut. */
const MAX_MANAGER_LENGTH = 128;

/** The manager of a request: its `fieldManager`, else its User-Agent up to the first `/`. */
export function managerOf(fieldManager: string | null, userAgent: string | undefined): string {
  const name = fieldManager || (userAgent ?? '').split('/')[0] || 'unknown';
  return name.slice(0, MAX_MANAGER_LENGTH);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const leafSet = (e: ManagedFieldsEntry) => new Map(leaves(e.fieldsV1 ?? {}).map((p) => [pathKey(p), p]));

function entry(manager: string, operation: 'Apply' | 'Update', apiVersion: string, now: Date, set: FieldSet) {
  const e: ManagedFieldsEntry = { manager, operation, apiVersion, time: toRfc3339(now), fieldsType: 'FieldsV1' };
  e.fieldsV1 = set;
  return e;
}

/** Each entry without the given paths; entries left empty go. */
function without(entries: ManagedFieldsEntry[], drop: Set<string>): ManagedFieldsEntry[] {
  return entries.flatMap((e) => {
    const leavesOf = leafSet(e);
    const left = [...leavesOf].filter(([k]) => !drop.has(k)).map(([, p]) => p);
    if (left.length === 0) return [];
    return [left.length === leavesOf.size ? e : { ...e, fieldsV1: toFieldSet(left) }];
  });
}

/**
 * The managers after a non-apply write of `next` over `old` (undefined for a create) by
 * `manager`: what it changed is its own and no one else's; a field that is gone is no one's.
 */
export function trackUpdate(
  base: ManagedFieldsEntry[],
  old: ApiObject | undefined,
  next: ApiObject,
  manager: string,
  schema: Schema | undefined,
  now: Date,
): ManagedFieldsEntry[] {
  const present = leaves(fieldSetOf(next, schema));
  const changed = present.filter((p) => !old || !same(valueAt(old, p), valueAt(next, p)));
  const presentKeys = new Set(present.map(pathKey));
  const gone = new Set(base.flatMap((e) => [...leafSet(e).keys()]).filter((k) => !presentKeys.has(k)));
  let entries = without(base, new Set([...gone, ...changed.map(pathKey)]));
  if (changed.length === 0) return entries;
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && !e.subresource);
  const owned = [...(mine ? leafSet(mine).values() : []), ...changed];
  entries = entries.filter((e) => e !== mine);
  return [...entries, entry(manager, 'Update', next.apiVersion, now, toFieldSet(owned))];
}

export interface Applied {
  /** The live object with the configuration applied (not yet admitted by the strategy). */
  object: ApiObject;
  managedFields: ManagedFieldsEntry[];
}

/**
 * Server-side apply of `config` over `live` (undefined: the object is created) by `manager`.
 * Throws 409 Conflict naming each field another manager set to a different value, unless `force`.
 */
export function serverSideApply(
  live: ApiObject | undefined,
  config: ApiObject,
  manager: string,
  force: boolean,
  schema: Schema | undefined,
  merge: (live: ApiObject, config: ApiObject) => ApiObject,
  now: Date,
): Applied {
  const applied = leaves(fieldSetOf(config, schema));
  const appliedKeys = new Set(applied.map(pathKey));
  const base = live?.metadata.managedFields ?? [];
  const mine = base.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  const others = base.filter((e) => e !== mine);
  const conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[] = [];
  if (live) {
    for (const e of others) {
      for (const [k, p] of leafSet(e)) {
        if (p[p.length - 1] === '.' || !appliedKeys.has(k)) continue;
        if (!same(valueAt(config, p), valueAt(live, p))) conflicts.push({ manager: e, path: p });
      }
    }
  }
  if (conflicts.length && !force) throw conflictError(conflicts);
  // A copy before anything is removed: the merge shares what it did not change with `live`.
  const object = structuredClone(live ? merge(live, config) : config);
  // What this manager applied before and no longer does, and no one else owns, goes.
  const ownedByOthers = new Set(others.flatMap((e) => [...leafSet(e).keys()]));
  const mineBefore = mine ? leafSet(mine) : new Map<string, FieldPath>();
  for (const [k, p] of mineBefore) {
    if (!appliedKeys.has(k) && !ownedByOthers.has(k)) removeAt(object, p);
  }
  const taken = new Set(conflicts.map((c) => pathKey(c.path)));
  // The same fields as last time: the entry keeps its time, as Kubernetes' does.
  const unchanged = mine && mineBefore.size === appliedKeys.size && [...appliedKeys].every((k) => mineBefore.has(k));
  const managedFields = [
    ...without(others, taken),
    unchanged ? mine : entry(manager, 'Apply', config.apiVersion, now, toFieldSet(applied)),
  ].filter((e) => Object.keys(e.fieldsV1 ?? {}).length > 0);
  return { object, managedFields };
}

/** How the field manager names a manager in a conflict: `"kubectl-client-side-apply" using batch/v1`. */
function managerName(e: ManagedFieldsEntry): string {
  const name = JSON.stringify(e.manager) + (e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : '');
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

function conflictError(conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[]): StatusError {
  let message: string;
  if (conflicts.length === 1) {
    const [c] = conflicts;
    message = `Apply failed with 1 conflict: conflict with ${managerName(c.manager)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = managerName(c.manager);
      byManager.set(name, [...(byManager.get(name) ?? []), pathString(c.path)]);
    }
    const lines = [...byManager.keys()]
      .sort()
      .flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(
    makeStatus(409, 'Conflict', message, {
      causes: conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${managerName(c.manager)}`,
        field: pathString(c.path),
      })),
    }),
  );
}
