// `jobctl replace -f FILE [--force]`, as kubectl's: each object PUT whole over the live one (at the
// live resourceVersion, as kubectl's helper sends it); with --force, deleted, waited for until it
// is gone, and created again: the way to change what a Job's immutable template says. Bodies go
// with their keys sorted, as kubectl's (a Go map's) JSON has them.
import { mustResource, StatusError, type ApiObject } from '../api/index.js';
import type { ApiClient } from '../client/index.js';
import { sortKeys } from '../print/output.js';
import { applyEach, type Applied, type DryRun, type OutputFormat } from './apply.js';
import { apiPath, connect, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io } from './io.js';
import { readManifests } from './read-manifests.js';

export interface ReplaceOptions extends GlobalOptions {
  files: string[];
  recursive: boolean;
  force: boolean;
  dryRun: DryRun;
  output: OutputFormat;
  /** --timeout for --force's wait for the deletion (ms). */
  timeoutMs?: number;
}

/** kubectl's qualified name in a deletion message: `job.batch "x" deleted`. */
const qualified = (o: ApiObject) => {
  const r = mustResource(o.kind);
  return `${r.group ? `${r.singular}.${r.group}` : r.singular} "${o.metadata.name}"`;
};

async function gone(client: ApiClient, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.get(path);
    } catch (e) {
      if (e instanceof StatusError && e.status.code === 404) return;
      throw e;
    }
    if (Date.now() > deadline) throw new CliError('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runReplace(opts: ReplaceOptions, io: Io): Promise<void> {
  if (!opts.files.length) throw new CliError('must specify --filename to replace');
  if (opts.force && opts.dryRun !== 'none') throw new CliError('--dry-run can not be used when --force is set');
  const { objects, errors } = await readManifests(opts.files, io, opts.recursive);
  if (errors.length) {
    for (const e of errors) io.err(`error: ${e.message}\n`);
    throw new ExitError(1);
  }
  if (!objects.length) throw new CliError('no objects passed to replace');
  const client = opts.dryRun === 'client' ? undefined : await connect(io);
  const suffix = opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : '';
  const replaceOne = async (object: ApiObject): Promise<Applied> => {
    const r = mustResource(object.kind);
    const ns = r.namespaced ? (object.metadata.namespace ??= 'default') : undefined;
    const path = apiPath(r.plural, ns, object.metadata.name);
    if (!client) return { verb: 'replaced', stored: object, warnings: [] };
    if (opts.force) {
      const q = new URLSearchParams({ propagationPolicy: 'Background' });
      const deleted = await client.call<ApiObject>('DELETE', `${path}?${q}`).catch((e: unknown) => {
        if (e instanceof StatusError && e.status.code === 404) return undefined;
        throw e;
      });
      if (deleted) io.out(`${qualified(object)} deleted\n`);
      await gone(client, path, opts.timeoutMs ?? 60_000);
      delete object.metadata.resourceVersion;
      const q2 = new URLSearchParams({ fieldManager: 'kubectl-replace', fieldValidation: 'Strict' });
      const res = await client.call<ApiObject>('POST', `${apiPath(r.plural, ns)}?${q2}`, sortKeys(object));
      return { verb: 'replaced', stored: res.body, warnings: res.warnings };
    }
    // kubectl's helper: the live resourceVersion when the file has none.
    object.metadata.resourceVersion ??= (await client.get<ApiObject>(path)).metadata.resourceVersion;
    const q = new URLSearchParams({ fieldManager: 'kubectl-replace', fieldValidation: 'Strict' });
    if (opts.dryRun === 'server') q.set('dryRun', 'All');
    const res = await client.call<ApiObject>('PUT', `${path}?${q}`, sortKeys(object));
    return { verb: 'replaced', stored: res.body, warnings: res.warnings };
  };
  // (--force and --dry-run do not go together: the suffix holds for every object.)
  await applyEach(objects, opts, io, replaceOne, suffix, 'replacing');
}
