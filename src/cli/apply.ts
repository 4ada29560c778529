// `jobctl apply -f` and `jobctl create -f`.
import { admitCreate, StatusError, type ApiObject } from '../api/index.js';
import { renderStatus } from '../print/errors.js';
import { asList, kindSlashName, toJson, toYaml } from '../print/output.js';
import { CliError, ExitError, type Io } from './io.js';
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

export function parseOutput(v: string | undefined, allowed: OutputFormat[] = ['', 'yaml', 'json', 'name']): OutputFormat {
  const o = (v ?? '') as OutputFormat;
  if (!allowed.includes(o)) {
    throw new CliError(`unable to match a printer suitable for the output format "${v}", allowed formats are: ${allowed.filter(Boolean).join(',')}`);
  }
  return o;
}

/** Sets the object's namespace from -n, refusing a conflicting one, as kubectl does. */
export function applyNamespace(obj: ApiObject, namespace: string | undefined): void {
  const meta = (obj.metadata ??= {});
  if (!namespace) return;
  if (meta.namespace && meta.namespace !== namespace) {
    throw new CliError(
      `the namespace from the provided object "${meta.namespace}" does not match the namespace "${namespace}". You must pass '--namespace=${meta.namespace}' to perform this operation.`,
    );
  }
  meta.namespace = namespace;
}

export function printObjects(objects: ApiObject[], output: OutputFormat, io: Io): void {
  if (output === 'yaml') io.out(toYaml(objects.length === 1 ? objects[0] : asList(objects)));
  else if (output === 'json') io.out(toJson(objects.length === 1 ? objects[0] : asList(objects)));
}

export async function runApply(opts: ApplyOptions, io: Io): Promise<void> {
  const { objects, errors } = await readManifests(opts.files, io, opts.recursive);
  if (errors.length > 0) {
    // Nothing is applied when any document cannot be read: a half-applied directory is worse.
    for (const e of errors) io.err(`error: ${e.message}\n`);
    throw new ExitError(1);
  }
  if (objects.length === 0) throw new CliError(`no objects passed to ${opts.verb}`);
  if (opts.dryRun !== 'client') {
    throw new CliError(`${opts.verb} without --dry-run=client needs the jobctl server, which this version does not have yet`);
  }
  let failed = false;
  const shown: ApiObject[] = [];
  for (const { object, source } of objects) {
    try {
      applyNamespace(object, opts.namespace);
      const { object: stored, warnings } = admitCreate(object, new Date());
      for (const w of warnings) io.err(`Warning: ${w}\n`);
      if (opts.output === 'name') io.out(`${kindSlashName(stored)}\n`);
      else if (opts.output) shown.push(stored);
      else io.out(`${kindSlashName(stored)} created (dry run)\n`);
    } catch (e) {
      failed = true;
      if (e instanceof StatusError) io.err(`${renderStatus(e.status, `error when creating "${source}"`)}\n`);
      else if (e instanceof CliError) io.err(`error: ${e.message}\n`);
      else throw e;
    }
  }
  printObjects(shown, opts.output, io);
  if (failed) throw new ExitError(1);
}
