// The API server's verbs on any resource of the table: get, list, watch, create, update (and the
// status subresource), patch, delete. Each kind's rules come from its strategy; the pod and Job
// deletion semantics (grace periods, finalizers, propagation) from the registry. The HTTP layer
// (server/http-api.ts) only routes, decodes and encodes.
import {
  generateName,
  groupResource,
  jsonPatch,
  makeStatus,
  mergePatch,
  mustResource,
  notFoundError,
  PatchError,
  badRequestError,
  StatusError,
  invalidError,
  required,
  forbidden,
  neverSchedulable,
  notReadyWarning,
  type ApiObject,
  type Job,
  type Node,
  type ManagedFieldsEntry,
} from '../api/index.js';
// Direct, not through the index: the CLI loads manifest.ts (and yaml) only when it reads files.
import { decodeBody } from '../api/manifest.js';
import { schemaOfKind } from '../api/schema.js';
import { strategicMerge } from '../api/strategic-merge.js';
import { serverSideApply, trackUpdate } from './managed-fields.js';
import type { Change } from '../store/index.js';
import type { Registry } from './registry.js';
import { strategyFor } from './strategies/index.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface UpdateOptions {
  status: boolean;
  dryRun: boolean;
  fieldValidation?: FieldValidation;
  /** Who writes: its fields are recorded as its own in `metadata.managedFields`. */
  manager?: string;
  /** Server-side apply only: take fields other managers own. */
  force?: boolean;
  /** Receives the update's warnings (unknown fields, under Warn). */
  warnings?: string[];
}

export interface Written<T = ApiObject> {
  object: T;
  warnings: string[];
}

/** An update that changes nothing is not written (no new resourceVersion), as in Kubernetes. */
function sameObject(a: ApiObject, b: ApiObject): boolean {
  const strip = (o: ApiObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** `fieldValidation`: unknown fields refused (Strict), warned about (Warn, the default) or dropped silently (Ignore). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequestError(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/** A body decoded as the API server does: values of the wrong type refused, unknown fields as `mode` says. */
function decodeFields(body: ApiObject, mode: FieldValidation): Written {
  const { object, unknown, invalid } = decodeBody(body);
  if (invalid.length || (mode === 'Strict' && unknown.length)) {
    const version = (body.apiVersion ?? '').split('/').pop();
    const what = invalid.length ? invalid.join(', ') : `strict decoding error: ${unknown.join(', ')}`;
    throw badRequestError(`${body.kind} in version "${version}" cannot be handled as a ${body.kind}: ${what}`);
  }
  return { object, warnings: mode === 'Warn' ? unknown : [] };
}

export class ApiServer {
  constructor(readonly registry: Registry) {}

  private get store() {
    return this.registry.store;
  }

  get(kind: string, ns: string, name: string): ApiObject {
    return this.store.mustGet(kind, ns, name);
  }

  /** The stored JSON of each object: lists go out without serialising again. */
  listJson(kind: string, ns: string | undefined): { items: string[]; resourceVersion: string } {
    return { items: this.store.listJson(kind, ns), resourceVersion: String(this.store.currentRevision()) };
  }

  /** The stored JSON of the events about the object of this uid. */
  eventsAboutJson(uid: string, ns: string | undefined): { items: string[]; resourceVersion: string } {
    return { items: this.store.eventsAboutJson(uid, ns), resourceVersion: String(this.store.currentRevision()) };
  }

  /** The store's newest revision. */
  currentRevision(): number {
    return this.store.currentRevision();
  }

  /** Commits every write so far: called before anything that reveals them leaves the server. */
  flush(): void {
    this.store.flush();
  }

  /** Changes of a kind after `rv`; throws 410 Expired for a revision compacted away. */
  watch(kind: string, rv: number, onChange: (c: Change) => void): () => void {
    return this.store.watch(kind, rv, onChange);
  }

  create(
    kind: string,
    ns: string,
    given: ApiObject,
    dryRun: boolean,
    fields: FieldValidation = 'Warn',
    manager = 'unknown',
  ): Written {
    const strategy = strategyFor(kind);
    if (!strategy.clientWritable) strategy.admitCreate(given, this.registry.now()); // refuses
    const { object: body, warnings: fieldWarnings } = decodeFields(given, fields);
    const r = mustResource(kind);
    body.metadata ??= {};
    if (!r.namespaced) delete body.metadata.namespace;
    else if (body.metadata.namespace && body.metadata.namespace !== ns) {
      throw badRequestError('the namespace of the provided object does not match the namespace sent on the request');
    } else body.metadata.namespace = ns;
    // generateName: the API server picks the name (a suffix of five random characters).
    if (!body.metadata.name && body.metadata.generateName)
      body.metadata.name = generateName(body.metadata.generateName);
    this.registry.namespaces.admitCreate(r, ns, body.metadata.name ?? '');
    const now = this.registry.now();
    const admitted = strategy.admitCreate(body, now);
    const object = admitted.object;
    const base = body.metadata.managedFields ?? [];
    object.metadata.managedFields = trackUpdate(base, undefined, object, manager, schemaOfKind(kind), now);
    if (object.metadata.managedFields.length === 0) delete object.metadata.managedFields;
    const warnings = [...fieldWarnings, ...admitted.warnings, ...this.schedulingWarnings(object)];
    if (!dryRun) return { object: this.store.create(object), warnings };
    if (this.store.get(kind, ns, object.metadata.name ?? '')) {
      throw new StatusError(
        makeStatus(409, 'AlreadyExists', `${groupResource(r)} "${object.metadata.name}" already exists`, {
          name: object.metadata.name,
          group: r.group,
          kind: r.plural,
        }),
      );
    }
    return { object, warnings };
  }

  /** A Job whose pods the node can never take says so at once, not only as its pods wait. */
  private schedulingWarnings(object: ApiObject): string[] {
    if (object.kind !== 'Job') return [];
    const nodes = this.store.list<Node>('Node');
    const why = nodes.map((node) => neverSchedulable((object as Job).spec.template.spec, node)).find(Boolean);
    const down = nodes.map(notReadyWarning).find(Boolean);
    return [why, down].filter((w): w is string => !!w);
  }

  /** A replacement (PUT), or of the status subresource; a stale resourceVersion is a Conflict. */
  update(kind: string, ns: string, name: string, given: ApiObject, opts: UpdateOptions): ApiObject {
    const strategy = strategyFor(kind);
    const { object: body, warnings } = strategy.clientWritable
      ? decodeFields(given, opts.fieldValidation ?? 'Warn')
      : { object: given, warnings: [] };
    opts.warnings?.push(...warnings);
    return this.store.transact(() => {
      const old = this.store.mustGet(kind, ns, name);
      if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== old.metadata.resourceVersion) {
        return this.store.update(body); // throws the Conflict
      }
      const now = this.registry.now();
      const next = opts.status
        ? this.statusOf(strategy.updateStatus, kind)(body, old)
        : strategy.update(body, old, now);
      // A client may set managedFields itself (kubectl does, moving client-side apply's to its own).
      if (!opts.status) this.track(kind, old, next, body.metadata?.managedFields, opts.manager, now);
      if (opts.dryRun || sameObject(next, old)) return next;
      return this.store.update(next);
    });
  }

  /** Records `manager`'s change of `old` into `next` in next's managedFields. */
  private track(
    kind: string,
    old: ApiObject,
    next: ApiObject,
    given: ManagedFieldsEntry[] | undefined,
    manager = 'unknown',
    now: Date,
  ): void {
    const base = given?.length ? given : (old.metadata.managedFields ?? []);
    const entries = trackUpdate(base, old, next, manager, schemaOfKind(kind), now);
    if (entries.length) next.metadata.managedFields = entries;
    else delete next.metadata.managedFields;
  }

  /**
   * Server-side apply (`application/apply-patch+yaml`): creates the object or merges the
   * configuration into it, with field ownership and conflicts (managed-fields.ts).
   */
  apply(
    kind: string,
    ns: string,
    name: string,
    given: unknown,
    opts: UpdateOptions,
  ): { object: ApiObject; created: boolean } {
    const strategy = strategyFor(kind);
    const r = mustResource(kind);
    if (!opts.manager) {
      throw invalidError('PatchOptions', 'meta.k8s.io', '', [required('fieldManager', 'is required for apply patch')]);
    }
    if (!given || typeof given !== 'object' || Array.isArray(given))
      throw badRequestError('the apply patch is not an object');
    const { object: config, warnings } = decodeFields(given as ApiObject, opts.fieldValidation ?? 'Warn');
    opts.warnings?.push(...warnings);
    if (config.kind !== kind) throw badRequestError(`the apply patch is not a ${kind}`);
    config.metadata ??= {};
    if (config.metadata.managedFields) throw badRequestError('metadata.managedFields must be nil');
    if (config.metadata.name !== name) {
      throw badRequestError(
        `the name of the object (${config.metadata.name ?? ''}) does not match the name on the URL (${name})`,
      );
    }
    if (r.namespaced) config.metadata.namespace ??= ns;
    const schema = schemaOfKind(kind);
    const merge = (live: ApiObject, c: ApiObject) => strategicMerge(live, c, schema) as ApiObject;
    return this.store.transact(() => {
      const now = this.registry.now();
      const live = this.store.get(kind, ns, name);
      const applied = serverSideApply(live, config, opts.manager!, Boolean(opts.force), schema, merge, now);
      if (!live) {
        this.registry.namespaces.admitCreate(r, ns, name);
        const admitted = strategy.admitCreate(applied.object, now);
        opts.warnings?.push(...admitted.warnings);
        admitted.object.metadata.managedFields = applied.managedFields;
        return { object: opts.dryRun ? admitted.object : this.store.create(admitted.object), created: true };
      }
      applied.object.metadata.resourceVersion = live.metadata.resourceVersion;
      const next = strategy.update(applied.object, live, now);
      next.metadata.managedFields = applied.managedFields;
      if (opts.dryRun || sameObject(next, live)) return { object: next, created: false };
      return { object: this.store.update(next), created: false };
    });
  }

  private statusOf(update: ((n: ApiObject, o: ApiObject) => ApiObject) | undefined, kind: string) {
    if (!update) throw new StatusError(makeStatus(404, 'NotFound', `${kind} has no status subresource here`));
    return update;
  }

  /** JSON merge, JSON patch and strategic merge patch. */
  patch(kind: string, ns: string, name: string, contentType: string, patch: unknown, opts: UpdateOptions): ApiObject {
    if (!strategyFor(kind).clientWritable) {
      throw new StatusError(makeStatus(405, 'MethodNotAllowed', `jobctl does not patch ${mustResource(kind).plural}`));
    }
    if (!(PATCH_TYPES as readonly string[]).includes(contentType)) {
      throw new StatusError(
        makeStatus(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
        ),
      );
    }
    if (opts.force) {
      throw invalidError('PatchOptions', 'meta.k8s.io', '', [
        forbidden('force', 'may not be specified for non-apply patch'),
      ]);
    }
    const current = this.store.mustGet(kind, ns, name);
    let patched: ApiObject;
    try {
      const [json, , strategic] = PATCH_TYPES;
      patched = (
        contentType === json
          ? jsonPatch(current, patch)
          : contentType === strategic
            ? strategicMerge(current, patch, schemaOfKind(kind))
            : mergePatch(current, patch)
      ) as ApiObject;
    } catch (e) {
      if (e instanceof PatchError) throw badRequestError(e.message);
      throw e;
    }
    if (!patched || typeof patched !== 'object' || !patched.metadata) {
      throw badRequestError(`the patch leaves no ${kind}`);
    }
    // A resourceVersion the patch sets is a precondition, as Kubernetes takes it; else the current one.
    return this.update(kind, ns, name, patched, opts);
  }

  /** A Job by its propagation policy, a pod gracefully, anything else at once. */
  delete(
    kind: string,
    ns: string,
    name: string,
    opts: { propagation?: string; graceSeconds?: number; dryRun?: boolean },
  ): Written {
    const warnings: string[] = [];
    let deleted: ApiObject | undefined;
    if (opts.propagation && !['Background', 'Foreground', 'Orphan'].includes(opts.propagation))
      throw badRequestError(`propagationPolicy ${opts.propagation} is not supported`);
    if (kind === 'Namespace') this.registry.namespaces.checkDeletable(name);
    if (kind === 'Node' && this.store.get(kind, ns, name))
      throw new StatusError(makeStatus(405, 'MethodNotAllowed', `node "${name}" is this machine: it is not deleted`));
    if (opts.dryRun) {
      // Every check, nothing removed: the object as it is.
      deleted = this.store.get(kind, ns, name);
    } else if (kind === 'Job') {
      if (!opts.propagation) {
        warnings.push(
          'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning',
        );
      }
      deleted = this.registry.deleteJob(ns, name, (opts.propagation ?? 'Orphan') as Propagation);
    } else if (kind === 'Namespace') {
      deleted = this.registry.namespaces.delete(name);
    } else if (kind === 'Pod') {
      deleted = this.registry.deletePod(ns, name, { graceSeconds: opts.graceSeconds });
    } else {
      deleted = this.store.get(kind, ns, name);
      if (deleted) this.registry.removeObject(deleted);
    }
    if (!deleted) {
      const r = mustResource(kind);
      throw notFoundError(r.plural, r.group, name);
    }
    return { object: deleted, warnings };
  }
}
