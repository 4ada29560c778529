// `jobctl diff -f FILE`, as kubectl 1.32's: each object as the server would store it if the file
// were applied (the same requests as apply, as a dry run: nothing changes), beside the live one,
// written as YAML into two temporary directories (LIVE-*, MERGED-*) and compared with
// `diff -u -N` (or KUBECTL_EXTERNAL_DIFF). Exit 0: no differences; 1: differences; 2: an error.
// A Secret's values are masked; managed fields are left out unless asked for.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustResource, StatusError, type ApiObject } from '../api/index.js';
import type { ApiClient } from '../client/index.js';
import { renderStatus } from '../print/errors.js';
import { hideManagedFields, toYaml } from '../print/output.js';
import { applyNamespace, applyPatch, LAST_APPLIED, lastApplied, settleNamespace, type Manifest } from './apply.js';
import { apiPath, connect } from './context.js';
import { CliError, ExitError, warn, type Io } from './io.js';
import { readManifests } from './read-manifests.js';

export interface DiffOptions {
  files: string[];
  recursive?: boolean;
  namespace?: string;
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  showManagedFields?: boolean;
}

/** kubectl's retries when the object changes between reading it and the dry run. */
const MAX_TRIES = 4;

/** kubectl's file name for an object: `batch.v1.Job.default.NAME`, `v1.Namespace..NAME`. */
function fileName(o: ApiObject): string {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return `${group ? `${group}.` : ''}${version}.${o.kind}.${o.metadata.namespace ?? ''}.${o.metadata.name ?? ''}`;
}

/** A Secret's values, masked as kubectl masks them: which keys changed shows, not to what. */
function maskSecrets(from: ApiObject | undefined, to: ApiObject): [ApiObject | undefined, ApiObject] {
  const data = (o: ApiObject | undefined) => (o as { data?: Record<string, string> } | undefined)?.data;
  const before = data(from);
  const after = data(to);
  const masked = (o: ApiObject, d: Record<string, string> | undefined) => (d ? ({ ...o, data: d } as ApiObject) : o);
  const b: Record<string, string> | undefined = before && {};
  const a: Record<string, string> | undefined = after && {};
  for (const k of Object.keys(before ?? {})) {
    if (after && k in after) {
      const same = before![k] === after[k];
      b![k] = same ? '***' : '*** (before)';
      a![k] = same ? '***' : '*** (after)';
    } else b![k] = '***';
  }
  for (const k of Object.keys(after ?? {})) if (!before || !(k in before)) a![k] = '***';
  return [from && masked(from, b), masked(to, a)];
}

/** What the server would store for `manifest` if it were applied now (a dry run). */
async function merged(
  client: ApiClient,
  object: ApiObject,
  manifest: Manifest,
  live: ApiObject | undefined,
  force: boolean,
  opts: DiffOptions,
  io: Io,
): Promise<ApiObject> {
  const resource = mustResource(object.kind).plural;
  const ns = object.metadata.namespace;
  const path = apiPath(resource, ns, object.metadata.name ?? '');
  const query = (q: Record<string, string>) => `?${new URLSearchParams({ dryRun: 'All', ...q })}`;
  const send = async (method: string, url: string, body: unknown, type?: string) => {
    const r = await client.call<ApiObject>(method, url, body, type);
    warn(io, r.warnings);
    return r.body;
  };
  if (opts.serverSide) {
    const manager = opts.fieldManager ?? 'kubectl';
    const q = query({ fieldManager: manager, force: String(Boolean(opts.forceConflicts)) });
    return send('PATCH', path + q, manifest, 'application/apply-patch+yaml');
  }
  const q = query({ fieldManager: opts.fieldManager ?? 'kubectl-client-side-apply' });
  if (!live) return send('POST', apiPath(resource, ns) + q, manifest);
  if (object.kind === 'Secret') {
    // As jobctl's apply does it: a Secret's configuration is kept as a digest, and replaced whole
    // (the recorded configuration left as it is, as kubectl's diff leaves it).
    const recorded = live.metadata.annotations?.[LAST_APPLIED];
    if (recorded === lastApplied(manifest)) return live;
    const whole = structuredClone(object);
    whole.metadata.annotations = { ...whole.metadata.annotations };
    if (recorded === undefined) delete whole.metadata.annotations[LAST_APPLIED];
    else whole.metadata.annotations[LAST_APPLIED] = recorded;
    whole.metadata.resourceVersion = live.metadata.resourceVersion;
    return send('PUT', path + q, whole);
  }
  const patch = applyPatch(live, manifest, false);
  if (Object.keys(patch).length === 0) return live;
  // The live version as a precondition, as kubectl's patcher sends it (but on its last try).
  if (!force) patch.metadata = { ...(patch.metadata as object), resourceVersion: live.metadata.resourceVersion };
  return send('PATCH', path + q, patch, 'application/strategic-merge-patch+json');
}

/** The live object, or undefined where there is none. */
async function liveObject(client: ApiClient, object: ApiObject): Promise<ApiObject | undefined> {
  const path = apiPath(mustResource(object.kind).plural, object.metadata.namespace, object.metadata.name ?? '');
  try {
    return await client.get<ApiObject>(path);
  } catch (e) {
    if (e instanceof StatusError && e.status.code === 404) return undefined;
    throw e;
  }
}

/** The external diff program and its arguments, as kubectl reads KUBECTL_EXTERNAL_DIFF. */
function diffCommand(env: NodeJS.ProcessEnv, from: string, to: string): [string, string[]] {
  const external = env.KUBECTL_EXTERNAL_DIFF;
  if (!external) return ['diff', ['-u', '-N', from, to]];
  const [program, ...flags] = external.split(' ');
  return [program, [from, to, ...flags.filter((f) => /^[a-zA-Z0-9-=]+$/.test(f))]];
}

export async function runDiff(opts: DiffOptions, io: Io): Promise<void> {
  // kubectl's diff exits 2 on any error of its own; 1 is kept for "there are differences".
  const fail = (message: string) => new CliError(message, 2);
  if (!opts.files.length) throw fail('must specify one of -f and -k');
  if (opts.forceConflicts && !opts.serverSide) throw fail('--force-conflicts only works with --server-side');
  const { objects, errors } = await readManifests(opts.files, io, opts.recursive).catch((e: unknown) => {
    throw e instanceof CliError ? fail(e.message) : e;
  });
  if (errors.length) {
    for (const e of errors) io.err(`error: ${e.message}\n`);
    throw new ExitError(2);
  }
  const client = await connect(io);
  const dirs = { from: mkdtempSync(join(tmpdir(), 'LIVE-')), to: mkdtempSync(join(tmpdir(), 'MERGED-')) };
  try {
    for (const { object, manifest } of objects) {
      applyNamespace(object, opts.namespace);
      settleNamespace(object, manifest as Manifest);
      let pair: [ApiObject | undefined, ApiObject] | undefined;
      let live: ApiObject | undefined;
      for (let attempt = 1; !pair; attempt++) {
        live = await liveObject(client, object);
        try {
          pair = [live, await merged(client, object, manifest as Manifest, live, attempt === MAX_TRIES, opts, io)];
        } catch (e) {
          if (!(e instanceof StatusError && e.status.reason === 'Conflict') || attempt >= MAX_TRIES) throw e;
        }
      }
      let [from, to] = opts.showManagedFields
        ? pair
        : [pair[0] && hideManagedFields(pair[0]), hideManagedFields(pair[1])];
      if (to.kind === 'Secret') [from, to] = maskSecrets(from, to);
      const name = fileName(to);
      if (from) writeFileSync(join(dirs.from, name), await toYaml(from), { mode: 0o700 });
      writeFileSync(join(dirs.to, name), await toYaml(to), { mode: 0o700 });
      if (live?.metadata.deletionTimestamp)
        io.err(`Warning: Detected changes to resource ${live.metadata.name} which is currently being deleted.\n`);
    }
    const [program, args] = diffCommand(io.env, dirs.from, dirs.to);
    const ran = spawnSync(program, args, { encoding: 'utf8', env: io.env, maxBuffer: 256 * 1024 * 1024 });
    if (ran.stdout) io.out(ran.stdout);
    if (ran.stderr) io.err(ran.stderr);
    if (ran.error || (ran.status ?? 2) > 1) {
      const why = ran.error ? (ran.error as Error).message : `exit status ${ran.status ?? 2}`;
      throw fail(`failed to run "${program}": ${why}`);
    }
    if (ran.status === 1) throw new ExitError(1);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    io.err(`${renderStatus(e.status)}\n`);
    throw new ExitError(2);
  } finally {
    rmSync(dirs.from, { recursive: true, force: true });
    rmSync(dirs.to, { recursive: true, force: true });
  }
}
