// `jobctl taint node NAME key=value:Effect key-`, as kubectl's: read the node, change its taints
// (a strategic merge patch), and say what changed in kubectl's words.
import { isQualifiedName, isValidLabelValue, taintString, type Node, type Taint } from '../api/index.js';
import { kindSlashName } from '../print/output.js';
import { apiPath, connect, getNamed, parseTargets, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

const isChange = (a: string) => a.includes('=') || a.endsWith('-') || (a.includes(':') && !a.includes('/'));

/** Resources first, then the changes (kubectl requires that order). */
function split(args: string[]): { targets: string[]; changes: string[] } {
  const first = args.findIndex(isChange);
  const targets = first < 0 ? args : args.slice(0, first);
  const changes = first < 0 ? [] : args.slice(first);
  const late = changes.find((a) => !isChange(a));
  if (late) throw new CliError(`all resources must be specified before taint changes: ${late}`);
  return { targets, changes };
}

/** `key=value:Effect`, `key:Effect` or (to remove) `key`. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  if (parts.length > 2) throw new CliError(`invalid taint spec: ${spec}`);
  const effect = parts[1] as Taint['effect'] | undefined;
  if (effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect))
    throw new CliError(`invalid taint effect: ${effect}, unsupported taint effect`);
  const kv = parts[0].split('=');
  if (kv.length > 2 || (kv.length === 2 && effect === undefined)) throw new CliError(`invalid taint spec: ${spec}`);
  const valueErrs = kv.length === 2 ? isValidLabelValue(kv[1]) : [];
  const errs = [...valueErrs, ...isQualifiedName(kv[0])];
  if (errs.length) throw new CliError(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  return { key: kv[0], ...(kv[1] ? { value: kv[1] } : {}), effect: effect as Taint['effect'] };
}

export async function runTaint(args: string[], opts: GlobalOptions & { overwrite?: boolean }, io: Io): Promise<void> {
  const { targets, changes } = split(args);
  if (!targets.length) throw new CliError('one or more resources must be specified as <resource> <name>');
  if (!changes.length) throw new CliError('at least one taint update is required');
  const add: Taint[] = [];
  const remove: Taint[] = [];
  try {
    for (const c of changes) {
      if (c.endsWith('-')) remove.push(parseTaint(c.slice(0, -1)));
      else {
        const t = parseTaint(c);
        if (!t.effect) throw new CliError(`invalid taint spec: ${c}`);
        if (add.some((a) => a.key === t.key && a.effect === t.effect))
          // Go's print of the Taint struct, as kubectl's message has it.
          throw new CliError(
            `duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`,
          );
        add.push(t);
      }
    }
  } catch (e) {
    // A usage error, as kubectl reports it.
    if (e instanceof CliError) throw new CliError(`${e.message}\nSee 'jobctl taint -h' for help and examples`);
    throw e;
  }
  const { resource, names } = parseTargets(targets);
  if (resource !== 'nodes') throw new CliError(`invalid resource type ${resource}, only node types are supported`);
  const client = await connect(io);
  for (const name of names) {
    const node = await getNamed<Node>(client, 'nodes', undefined, name);
    const old = node.spec?.taints ?? [];
    const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
    if (!opts.overwrite) {
      const clash = add.filter((t) => old.some((o) => same(o, t))).map((t) => t.key);
      if (clash.length)
        throw new CliError(
          `node ${name} already has ${clash.join(',')} taint(s) with same effect(s) and --overwrite is false`,
        );
    }
    // kubectl's order: the new taints, then the old ones they do not replace, less those removed.
    let next = [...add, ...old.filter((o) => !add.some((t) => same(o, t)))];
    const added = next.length !== old.length;
    let removed = false;
    for (const r of remove) {
      const before = next.length;
      next = next.filter((t) => (r.effect ? !same(t, r) : t.key !== r.key));
      removed = next.length < before;
      if (!removed) throw new CliError(`taint "${taintString(r)}" not found`);
    }
    const verdict = (added && removed) || opts.overwrite ? 'modified' : added ? 'tainted' : 'untainted';
    const path = `${apiPath('nodes', undefined, name)}?fieldManager=kubectl-taint&fieldValidation=Strict`;
    const body = { spec: { taints: next.length ? next : null } };
    const r = await client.call<Node>('PATCH', path, body, 'application/strategic-merge-patch+json');
    io.out(`${kindSlashName(r.body)} ${verdict}\n`);
  }
}
