// `jobctl get`: tables, -o wide|json|yaml|name|jsonpath, selectors, all namespaces, and -w.
import { resourceByPlural, StatusError, type ApiObject } from '../api/index.js';
import { listAndWatch, type ObjectEvent } from '../client/index.js';
import { jsonPath, JsonPathError } from '../print/jsonpath.js';
import { asList, hideManagedFields, kindSlashName, toJson, toYaml } from '../print/output.js';
import { headersOf, rowOf } from '../print/rows.js';
import { TablePrinter } from '../print/tabwriter.js';
import { apiPath, connect, getNamed, namespaceOf, paletteFor, parseTargets, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io } from './io.js';

export interface GetOptions extends GlobalOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  watch?: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  showManagedFields?: boolean;
}

type Format =
  { kind: 'table'; wide: boolean } | { kind: 'yaml' | 'json' | 'name' } | { kind: 'jsonpath'; template: string };

function parseFormat(o: string | undefined): Format {
  if (!o) return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  const m = /^jsonpath=(.*)$/s.exec(o);
  if (m) return { kind: 'jsonpath', template: m[1] };
  throw new CliError(
    `unable to match a printer suitable for the output format "${o}", allowed formats are: json,jsonpath,name,wide,yaml`,
  );
}

const kindOf = (resource: string) => resourceByPlural(resource)?.kind ?? '';

export async function runGet(args: string[], opts: GetOptions, io: Io): Promise<void> {
  const { resource, names } = parseTargets(args);
  const format = parseFormat(opts.output);
  // A cluster-scoped resource (namespaces) has no namespace to name or to list across.
  const clustered = resourceByPlural(resource)?.namespaced === false;
  const ns = opts.allNamespaces || clustered ? undefined : namespaceOf(opts);
  const client = await connect(io);
  const p = await paletteFor(io, opts, format.kind !== 'table');
  const table = new TablePrinter();
  const allNs = Boolean(opts.allNamespaces) && !clustered;
  const render = (objs: ApiObject[], withHeader: boolean, events?: string[]): string => {
    const wide = format.kind === 'table' && format.wide;
    const now = Date.now();
    const rows: string[][] = [];
    if (withHeader && !opts.noHeaders) {
      const h = headersOf(kindOf(resource), wide);
      rows.push([
        ...(events ? ['EVENT'] : []),
        ...(allNs ? ['NAMESPACE'] : []),
        ...h,
        ...(opts.showLabels ? ['LABELS'] : []),
      ]);
    }
    objs.forEach((o, i) => {
      const labels =
        Object.entries(o.metadata.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>';
      rows.push([
        ...(events ? [events[i]] : []),
        ...(allNs ? [o.metadata.namespace ?? ''] : []),
        ...rowOf(o, now, wide, p),
        ...(opts.showLabels ? [labels] : []),
      ]);
    });
    return table.render(rows);
  };
  const emit = async (shown: ApiObject[], single: boolean) => {
    const objs = opts.showManagedFields ? shown : shown.map(hideManagedFields);
    if (format.kind === 'table') io.out(render(objs, true));
    else if (format.kind === 'name') for (const o of objs) io.out(`${kindSlashName(o)}\n`);
    else {
      const data = single ? objs[0] : asList(objs);
      if (format.kind === 'yaml') io.out(await toYaml(data));
      else if (format.kind === 'json') io.out(toJson(data));
      else if (format.kind === 'jsonpath') {
        try {
          io.out(jsonPath(format.template, data));
        } catch (e) {
          if (e instanceof JsonPathError) throw new CliError(`error parsing jsonpath ${format.template}, ${e.message}`);
          throw e;
        }
      }
    }
  };

  const query = new URLSearchParams();
  if (opts.selector) query.set('labelSelector', opts.selector);
  if (opts.fieldSelector) query.set('fieldSelector', opts.fieldSelector);
  const watching = opts.watch || opts.watchOnly;
  if (watching && names.length > 1)
    throw new CliError(
      `watch is only supported on individual resources and resource collections, but ${names.length} resources were found`,
    );
  let objs: ApiObject[] = [];
  if (names.length > 0) {
    if (!ns && !clustered) throw new CliError('a resource cannot be retrieved by name across all namespaces');
    let failed = false;
    for (const name of names) {
      try {
        objs.push(await getNamed(client, resource, ns, name));
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        failed = true;
        io.err(`Error from server (${e.status.reason}): ${e.status.message}\n`);
      }
    }
    if (objs.length && !watching) await emit(objs, names.length === 1);
    if (failed) throw new ExitError(1);
    if (!watching) return;
  }
  const printList = async (items: ApiObject[]) => {
    objs = items; // the server's order (by name), as kubectl prints it
    if (opts.watchOnly) return;
    if (objs.length === 0 && (format.kind === 'table' || format.kind === 'name')) {
      if (!opts.watch) io.err(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
    } else if (opts.watch && format.kind === 'table') {
      io.out(render(objs, true, opts.outputWatchEvents ? objs.map(() => 'ADDED') : undefined));
    } else await emit(objs, names.length === 1);
  };
  if (!watching) {
    await printList((await client.listAll<ApiObject>(apiPath(resource, ns), query)).items);
    return;
  }
  // Watching: one row per change until interrupted, through server restarts and compactions.
  let first = true;
  // kubectl watches one object from revision "0": the first event is the object as it is now,
  // which was printed already.
  let synthetic = names.length > 0;
  const onEvent = async (ev: ObjectEvent<ApiObject>) => {
    if (synthetic) return void (synthetic = false);
    if (format.kind === 'table') io.out(render([ev.object], first, opts.outputWatchEvents ? [ev.type] : undefined));
    else await emit([ev.object], true);
    first = false;
  };
  const watch = { query, paged: true, reconnect: () => connect(io) };
  if (names.length > 0) {
    await printList(objs);
    first = Boolean(opts.watchOnly);
    query.set('fieldSelector', `metadata.name=${names[0]}`);
    await listAndWatch<ApiObject>(client, apiPath(resource, ns), { onEvent }, { ...watch, from: '0' });
    return;
  }
  await listAndWatch<ApiObject>(
    client,
    apiPath(resource, ns),
    {
      onList: async (items) => {
        await printList(items);
        first = objs.length === 0 || Boolean(opts.watchOnly);
      },
      onEvent,
    },
    watch,
  );
}
