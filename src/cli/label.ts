// `jobctl label` and `jobctl annotate` (TYPE NAME..., TYPE/NAME..., or TYPE with -l or --all;
// KEY=VALUE to set, KEY- to remove), as kubectl 1.32's: the same parsing and refusals, --overwrite,
// --dry-run (client: nothing sent; server: dryRun=All), --list, -o, --resource-version as a
// precondition, a merge patch of what changed, and the verdict in kubectl's words.
import { isValidLabelValue, type ApiObject } from '../api/index.js';
import { kindSlashName } from '../print/output.js';
import { parseDryRun, printObjects, type OutputFormat } from './apply.js';
import { apiPath, connect, getNamed, namespaceFor, parseTargets, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

export interface MetadataOptions extends GlobalOptions {
  overwrite?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  dryRun?: string | boolean;
  list?: boolean;
  output?: OutputFormat;
  resourceVersion?: string;
}

type Verb = 'label' | 'annotate';

/** kubectl's GetResourcesAndPairs: resources, then KEY=VALUE and KEY- pairs. */
function resourcesAndPairs(args: string[], pairType: string): { targets: string[]; pairs: string[] } {
  const targets: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const pair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (pair) pairs.push(s);
    else if (pairs.length) throw new CliError(`all resources must be specified before ${pairType} changes: ${s}`);
    else targets.push(s);
  }
  return { targets, pairs };
}

/** The keys to set and to remove, parsed and checked as kubectl parses labels or annotations. */
function parsePairs(verb: Verb, pairs: string[]): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (verb === 'label') {
    for (const spec of pairs) {
      if (spec.includes('=')) {
        const parts = spec.split('=');
        if (parts.length !== 2) throw new CliError(`invalid label spec: ${spec}`);
        const errs = isValidLabelValue(parts[1]);
        if (errs.length) throw new CliError(`invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}`);
        set[parts[0]] = parts[1];
      } else remove.push(spec.slice(0, -1));
    }
    if (remove.some((k) => k in set)) throw new CliError('can not both modify and remove a label in the same command');
    return { set, remove };
  }
  for (const spec of pairs) {
    const eq = spec.indexOf('=');
    if (eq > 0) set[spec.slice(0, eq)] = spec.slice(eq + 1);
    else remove.push(spec.slice(0, -1));
  }
  const both = remove.filter((k) => k in set);
  if (both.length)
    throw new CliError(
      `can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`,
    );
  return { set, remove };
}

/** Refuses changing a value already there without --overwrite, in each verb's words. */
function checkOverwrites(verb: Verb, current: Record<string, string>, set: Record<string, string>): void {
  const clashes = Object.entries(set).filter(([k, v]) => k in current && current[k] !== v);
  if (!clashes.length) return;
  if (verb === 'annotate')
    throw new CliError(
      `--overwrite is false but found the following declared annotation(s): ${clashes
        .map(([k]) => `'${k}' already has a value (${current[k]})`)
        .join('; ')}`,
    );
  const errs = clashes.map(([k]) => `'${k}' already has a value (${current[k]}), and --overwrite is false`);
  throw new CliError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
}

export const runLabel = (args: string[], opts: MetadataOptions, io: Io) => runMetadataVerb('label', args, opts, io);
export const runAnnotate = (args: string[], opts: MetadataOptions, io: Io) =>
  runMetadataVerb('annotate', args, opts, io);

async function runMetadataVerb(verb: Verb, args: string[], opts: MetadataOptions, io: Io): Promise<void> {
  const field = verb === 'label' ? 'labels' : 'annotations';
  const noun = verb === 'label' ? 'label' : 'annotation';
  const dryRun = parseDryRun(opts.dryRun);
  const { targets, pairs } = resourcesAndPairs(args, noun);
  // (kubectl 1.32's annotate lets --list win over -o; its label refuses the two.)
  if (opts.list && opts.output && verb === 'label')
    throw new CliError('--list and --output may not be specified together');
  if (opts.all && opts.selector) throw new CliError('cannot set --all and --selector at the same time');
  if (opts.all && opts.fieldSelector) throw new CliError('cannot set --all and --field-selector at the same time');
  if (!targets.length)
    throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (!pairs.length && !opts.list) throw new CliError(`at least one ${noun} update is required`);
  const { set, remove } = parsePairs(verb, pairs);
  const { resource, names } = parseTargets(targets);
  const selecting = Boolean(opts.selector || opts.fieldSelector || opts.all);
  if (!names.length && !selecting) throw new CliError('resource(s) were provided, but no name was specified');
  const ns = namespaceFor(resource, opts);
  const client = await connect(io);
  let objects: ApiObject[];
  if (names.length) {
    objects = [];
    for (const name of names) objects.push(await getNamed<ApiObject>(client, resource, ns, name));
  } else {
    const q = new URLSearchParams();
    if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
    if (opts.selector) q.set('labelSelector', opts.selector);
    objects = (await client.listAll<ApiObject>(apiPath(resource, ns), q)).items;
  }
  const one = names.length === 1 && !selecting;
  if (!one && opts.resourceVersion) throw new CliError('--resource-version may only be used with a single resource');
  for (const obj of objects) {
    const current: Record<string, string> = { ...(obj.metadata[field] ?? {}) };
    const sending = dryRun !== 'client' && !opts.list;
    if (verb === 'label' && sending)
      for (const k of remove) if (!(k in current)) io.out(`label ${JSON.stringify(k)} not found.\n`);
    if (!opts.overwrite) checkOverwrites(verb, current, set);
    const next = { ...current, ...set };
    for (const k of remove) delete next[k];
    const changed: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(next)) if (current[k] !== v) changed[k] = v;
    for (const k of Object.keys(current)) if (!(k in next)) changed[k] = null;
    const before = JSON.stringify(obj);
    let shown: ApiObject = { ...obj, metadata: { ...obj.metadata, [field]: next } };
    // kubectl 1.32's verdict for labels: compared as JSON, shorter (not --overwrite) reads as removal.
    const after = JSON.stringify(shown);
    const verdict =
      verb === 'annotate'
        ? 'annotated'
        : before === after
          ? 'not labeled'
          : !opts.overwrite && after.length < before.length
            ? 'unlabeled'
            : 'labeled';
    if (sending) {
      const metadata: Record<string, unknown> = Object.keys(changed).length ? { [field]: changed } : {};
      if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
      const body = Object.keys(metadata).length ? { metadata } : {};
      const q = new URLSearchParams({ fieldManager: `kubectl-${verb}` });
      if (dryRun === 'server') q.set('dryRun', 'All');
      const path = `${apiPath(resource, obj.metadata.namespace, obj.metadata.name)}?${q}`;
      shown = (await client.call<ApiObject>('PATCH', path, body, 'application/merge-patch+json')).body;
    }
    if (opts.list) {
      const indent = one ? '' : ' ';
      const group = shown.apiVersion?.includes('/') ? shown.apiVersion.split('/')[0] : '';
      if (!one) io.out(`Listing ${noun}s for ${shown.kind}.${group}/${shown.metadata.name}:\n`);
      for (const [k, v] of Object.entries(shown.metadata[field] ?? {})) io.out(`${indent}${k}=${v}\n`);
      continue;
    }
    if (opts.output === 'name') io.out(`${kindSlashName(shown)}\n`);
    else if (opts.output) await printObjects([shown], opts.output, io);
    else {
      const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
      io.out(`${kindSlashName(shown)} ${verdict}${suffix}\n`);
    }
  }
}
