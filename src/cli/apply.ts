// `jobctl apply -f` and `jobctl create -f`.
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import { admitCreate, mustResource, resourceByKind, StatusError, type ApiObject } from '../api/index.js';
import { goJson } from '../api/go-json.js';
import type { DecodedObject } from '../api/manifest.js';
import { schemaOfKind } from '../api/schema.js';
import { threeWayPatch } from '../api/three-way.js';
import type { ApiClient } from '../client/index.js';
import { apiPath, connect, connectIfRunning, getNamed } from './context.js';
import { renderStatus } from '../print/errors.js';
import { asList, hideManagedFields, kindSlashName, toJson, toYaml } from '../print/output.js';
import { CliError, ExitError, type Io, warn } from './io.js';
import { readManifests } from './read-manifests.js';

export type DryRun = 'none' | 'client' | 'server';
export type OutputFormat = '' | 'yaml' | 'json' | 'name';

export interface ApplyOptions {
  files: string[];
  recursive: boolean;
  dryRun: DryRun;
  output: OutputFormat;
  namespace?: string;
  verb: 'apply' | 'create';
}

export function parseDryRun(v: string | boolean | undefined): DryRun {
  if (v === undefined || v === false || v === 'none') return 'none';
  if (v === true || v === 'client') return 'client';
  if (v === 'server') return 'server';
  throw new CliError(`Invalid dry-run value (${String(v)}). Must be "none", "server", or "client".`);
}

export function parseOutput(
  v: string | undefined,
  allowed: OutputFormat[] = ['', 'yaml', 'json', 'name'],
): OutputFormat {
  const o = (v ?? '') as OutputFormat;
  if (!allowed.includes(o)) {
    throw new CliError(
      `unable to match a printer suitable for the output format "${v}", allowed formats are: ${allowed.filter(Boolean).join(',')}`,
    );
  }
  return o;
}

/** Sets the object's namespace from -n, refusing a conflicting one, as kubectl does. */
export function applyNamespace(obj: ApiObject, namespace: string | undefined): void {
  const meta = (obj.metadata ??= {});
  if (!namespace || resourceByKind(obj.kind)?.namespaced === false) return;
  if (meta.namespace && meta.namespace !== namespace) {
    throw new CliError(
      `the namespace from the provided object "${meta.namespace}" does not match the namespace "${namespace}". You must pass '--namespace=${meta.namespace}' to perform this operation.`,
    );
  }
  meta.namespace = namespace;
}

export async function printObjects(objects: ApiObject[], output: OutputFormat, io: Io): Promise<void> {
  const shown = objects.map(hideManagedFields);
  if (output === 'yaml') io.out(await toYaml(shown.length === 1 ? shown[0] : asList(shown)));
  else if (output === 'json') io.out(toJson(shown.length === 1 ? shown[0] : asList(shown)));
}

export async function runApply(opts: ApplyOptions, io: Io): Promise<void> {
  // Finding a running server overlaps reading the manifests; one is started only for valid input.
  const running = opts.dryRun === 'client' ? undefined : connectIfRunning(io);
  const { objects, errors } = await readManifests(opts.files, io, opts.recursive);
  if (errors.length > 0) {
    // Nothing is applied when any document cannot be read: a half-applied directory is worse.
    for (const e of errors) io.err(`error: ${e.message}\n`);
    throw new ExitError(1);
  }
  if (objects.length === 0) throw new CliError(`no objects passed to ${opts.verb}`);
  if (opts.dryRun !== 'client') {
    const client = (await running) ?? (await connect(io));
    const suffix = opts.dryRun === 'server' ? ' (server dry run)' : '';
    return applyEach(objects, opts, io, (object, manifest) => applyOne(client, object, manifest, opts), suffix);
  }
  return applyEach(
    objects,
    opts,
    io,
    async (object) => {
      const { object: stored, warnings } = admitCreate(object, new Date());
      // Validated here all the same; the warnings are about the local engine, not a cluster.
      return { verb: 'created', stored, warnings: io.target ? [] : warnings };
    },
    ' (dry run)',
  );
}

export interface Applied {
  verb: string;
  stored: ApiObject;
  warnings: string[];
}

/**
 * Applies each object in turn (apply, create -f, replace -f), printing as kubectl does; one
 * failure does not stop the others. `doing`: kubectl's word in a failure (`error when creating`).
 */
export async function applyEach(
  objects: DecodedObject[],
  opts: Pick<ApplyOptions, 'namespace' | 'output'>,
  io: Io,
  apply: (o: ApiObject, manifest: Manifest) => Promise<Applied>,
  suffix: string,
  doing = 'creating',
): Promise<void> {
  let failed = false;
  const shown: ApiObject[] = [];
  for (const { object, source, manifest } of objects) {
    try {
      applyNamespace(object, opts.namespace);
      const { verb, stored, warnings } = await apply(object, structuredClone(manifest) as Manifest);
      warn(io, warnings);
      if (opts.output === 'name') io.out(`${kindSlashName(stored)}\n`);
      else if (opts.output) shown.push(stored);
      else io.out(`${kindSlashName(stored)} ${verb}${suffix}\n`);
    } catch (e) {
      failed = true;
      if (e instanceof StatusError) io.err(`${renderStatus(e.status, `error when ${doing} "${source}"`)}\n`);
      else if (e instanceof CliError) io.err(`error: ${e.message}\n`);
      else throw e;
    }
  }
  await printObjects(shown, opts.output, io);
  if (failed) throw new ExitError(1);
}

/**
 * The namespace a namespaced object goes to (`default` when neither file nor flag says), written
 * into the object and the manifest alike; undefined for a cluster-scoped kind.
 */
export function settleNamespace(object: ApiObject, manifest: Manifest): string | undefined {
  if (resourceByKind(object.kind)?.namespaced === false) return undefined;
  const ns = (object.metadata.namespace ??= 'default');
  (manifest.metadata ??= {}).namespace = ns;
  return ns;
}

/** A document as written (DecodedObject.manifest), as far as apply reads it. */
export type Manifest = { kind?: unknown; metadata?: { namespace?: string; annotations?: Record<string, string> } };

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The manifest as kubectl records it for the next apply, byte for byte (its annotations without
 * this one, an empty map if none, in Go's JSON), so that either tool finds the other's apply
 * unchanged. For a Secret only a digest is kept: the annotation is readable by anyone who can
 * read the object, and its values must not be.
 */
export function lastApplied(manifest: Manifest): string {
  const copy = structuredClone(manifest);
  const meta = (copy.metadata ??= {});
  meta.annotations = { ...meta.annotations };
  delete meta.annotations[LAST_APPLIED];
  const json = goJson(copy);
  if (manifest.kind !== 'Secret') return json + '\n';
  // Loaded for Secrets only: node:crypto costs every other apply ~8 ms of start-up.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/** The controller writes a Job's status all the time: an update that lost that race is redone. */
const APPLY_CONFLICT_RETRIES = 5;

async function applyOne(
  client: ApiClient,
  object: ApiObject,
  manifest: Manifest,
  opts: ApplyOptions,
): Promise<Applied> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyOnce(client, structuredClone(object), manifest, opts);
    } catch (e) {
      if (!(e instanceof StatusError && e.status.reason === 'Conflict') || attempt >= APPLY_CONFLICT_RETRIES) throw e;
    }
  }
}

async function applyOnce(
  client: ApiClient,
  object: ApiObject,
  manifest: Manifest,
  opts: ApplyOptions,
): Promise<Applied> {
  const generated = object.metadata.generateName;
  if (opts.verb === 'apply' && !object.metadata.name && generated) {
    throw new CliError(`from ${generated}: cannot use generate name with apply`);
  }
  const ns = settleNamespace(object, manifest);
  const resource = mustResource(object.kind).plural;
  const name = object.metadata.name ?? '';
  // The managers kubectl's apply and create name, so that managedFields read as kubectl's would.
  const manager = opts.verb === 'apply' ? 'kubectl-client-side-apply' : 'kubectl-create';
  // kubectl's query: the server refuses unknown fields too (Strict), not only this reader.
  const dry = `?${new URLSearchParams({
    ...(opts.dryRun === 'server' ? { dryRun: 'All' } : {}),
    fieldManager: manager,
    fieldValidation: 'Strict',
  })}`;
  const annotated = structuredClone(object);
  if (opts.verb === 'apply') (annotated.metadata.annotations ??= {})[LAST_APPLIED] = lastApplied(manifest);
  const create = async (): Promise<Applied> => {
    const r = await client.call<ApiObject>('POST', apiPath(resource, ns) + dry, annotated);
    return { verb: 'created', stored: r.body, warnings: r.warnings };
  };
  if (opts.verb === 'create') return create();
  let existing: ApiObject;
  if (client.endpoint.local) {
    // jobctl's own server: create first, one request for a new object (the common case).
    try {
      return await create();
    } catch (e) {
      if (!(e instanceof StatusError && e.status.reason === 'AlreadyExists')) throw e;
    }
    existing = await client.get<ApiObject>(apiPath(resource, ns, name));
  } else {
    // A cluster, as kubectl applies there: read the live object; create it if there is none.
    try {
      existing = await getNamed(client, resource, ns, name);
    } catch (e) {
      if (e instanceof StatusError && e.status.code === 404) return create(); // the namespace's absence too
      throw e;
    }
  }
  const live = existing.metadata.annotations?.[LAST_APPLIED];
  if (object.kind === 'Secret') {
    // jobctl keeps only a digest of a Secret's configuration: it is replaced whole.
    if (live === annotated.metadata.annotations?.[LAST_APPLIED])
      return { verb: 'unchanged', stored: existing, warnings: [] };
    annotated.metadata.resourceVersion = existing.metadata.resourceVersion;
    const r = await client.call<ApiObject>('PUT', apiPath(resource, ns, name) + dry, annotated);
    return { verb: 'configured', stored: r.body, warnings: r.warnings };
  }
  // kubectl's three-way merge: what the file changes, and what it dropped since the last apply;
  // fields the server or other writers set (a Job's selector, defaults) stay as they are. The file
  // as written, as kubectl reads it: `cpu: 0.5` differs from the live `500m`, and is sent again.
  const warnings: string[] = [];
  if (live === undefined) warnings.push(missingAnnotation(resource, name));
  const patch = applyPatch(existing, manifest);
  if (Object.keys(patch).length === 0) return { verb: 'unchanged', stored: existing, warnings };
  const r = await client.call<ApiObject>(
    'PATCH',
    apiPath(resource, ns, name) + dry,
    patch,
    'application/strategic-merge-patch+json',
  );
  return { verb: 'configured', stored: r.body, warnings: [...warnings, ...r.warnings] };
}

/**
 * kubectl's client-side apply patch of `manifest` over the live object: what the file changes,
 * and what it dropped since the last apply (read from the live object's annotation); empty when
 * nothing would change. `annotate`: the manifest's configuration is recorded in the annotation
 * (as apply does; diff, as kubectl's, leaves it out).
 */
export function applyPatch(existing: ApiObject, manifest: Manifest, annotate = true): Record<string, unknown> {
  const live = existing.metadata.annotations?.[LAST_APPLIED];
  const original = live?.startsWith('{') ? (JSON.parse(live) as unknown) : {};
  const modified = structuredClone(manifest);
  const annotations = ((modified.metadata ??= {}).annotations = { ...modified.metadata.annotations });
  if (annotate) annotations[LAST_APPLIED] = lastApplied(manifest);
  else delete annotations[LAST_APPLIED];
  return threeWayPatch(original, modified, existing, schemaOfKind(existing.kind));
}

/** kubectl's warning when apply meets an object that was not created by apply. */
const missingAnnotation = (resource: string, name: string) =>
  `resource ${resource}/${name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by jobctl apply. jobctl apply should only be used on resources created declaratively by jobctl apply. The missing annotation will be patched automatically.`;
