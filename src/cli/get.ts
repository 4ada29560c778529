// `jobctl get`: tables, -o wide|json|yaml|name|jsonpath|custom-columns, -L, --sort-by, selectors,
// all namespaces, and -w.
import { readFileSync } from 'node:fs';
import { isQuantity, parseQuantity, resourceByPlural, StatusError, type ApiObject } from '../api/index.js';
import { listAndWatch, type ObjectEvent } from '../client/index.js';
import { goSprint, jsonPath, JsonPathError, jsonPathValues, relaxedJsonPath } from '../print/jsonpath.js';
import { GoTemplateError, goValue, parseGoTemplate } from '../print/go-template.js';
import { goJson } from '../api/go-json.js';
import { asList, hideManagedFields, kindSlashName, toJson, toYaml } from '../print/output.js';
import { headersOf, rowOf } from '../print/rows.js';
import { TablePrinter } from '../print/tabwriter.js';
import {
  apiPath,
  connect,
  getNamed,
  namespaceOf,
  paletteFor,
  parseTargets,
  singularQualified,
  type GlobalOptions,
} from './context.js';
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
  /** -L: a column per label key (comma-separated, repeatable). */
  labelColumns?: string[];
  sortBy?: string;
  /** --chunk-size: the page size of a list (0: all in one request). */
  chunkSize?: string;
  /** Names as `pod/x`, `job.batch/y` (several types at once: get-many.ts). */
  qualifiedNames?: boolean;
}

/** --chunk-size as kubectl reads it (an integer; 0 or less: no paging). */
export function chunkSize(opts: Pick<GetOptions, 'chunkSize'>): number {
  const text = opts.chunkSize ?? '500';
  if (!/^-?\d+$/.test(text))
    throw new CliError(
      `invalid argument "${text}" for "--chunk-size" flag: strconv.ParseInt: parsing "${text}": invalid syntax\nSee 'jobctl get --help' for usage.`,
    );
  return Math.max(0, Number(text));
}

type Column = { header: string; template: string };
type Format =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' | 'json' | 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'gotemplate'; template: string; render: (data: unknown) => string }
  | { kind: 'custom'; columns: Column[] };

/** A JSONPath error in kubectl's words. */
function relaxed(spec: string): string {
  try {
    return relaxedJsonPath(spec);
  } catch (e) {
    if (e instanceof JsonPathError) throw new CliError(e.message);
    throw e;
  }
}

/** `-o custom-columns=NAME:.metadata.name,...`, as kubectl reads it. */
function customColumns(spec: string): Column[] {
  if (!spec) throw new CliError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new CliError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), template: relaxed(part.slice(i + 1)) };
  });
}

/** `-o go-template=...`: parsed now, so a bad one fails before any request, in kubectl's words. */
function goTemplate(template: string): Format {
  try {
    return { kind: 'gotemplate', template, render: parseGoTemplate(template) };
  } catch (e) {
    if (e instanceof GoTemplateError) throw new CliError(`error parsing template ${template}, ${e.message}`);
    throw e;
  }
}

function readTemplateFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`error reading template ${path}, ${(e as Error).message}`);
  }
}

/** `-o custom-columns-file=FILE`: a line of headers, a line of field specs. */
function customColumnsFile(path: string): Column[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`error reading template ${path}, ${(e as Error).message}`);
  }
  // Lines as Go's scanner reads them: a last newline ends a line, it does not start one.
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const [head, specs] = lines.map((l) => l.split(/\s+/).filter(Boolean));
  const missing = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (!head) throw new CliError(`invalid template, missing header line. ${missing}`);
  if (!specs) throw new CliError(`invalid template, missing spec line. ${missing}`);
  if (head.length !== specs.length)
    throw new CliError(`number of headers (${head.length}) and field specifications (${specs.length}) don't match`);
  return head.map((header, i) => ({ header, template: relaxed(specs[i]) }));
}

function parseFormat(o: string | undefined): Format {
  if (!o) return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  const t = /^(go-template|template|go-template-file|templatefile)=(.*)$/s.exec(o);
  if (t) return goTemplate(t[1].endsWith('file') ? readTemplateFile(t[2]) : t[2]);
  if (['go-template', 'template', 'go-template-file', 'templatefile'].includes(o))
    throw new CliError('template format specified but no template given');
  const m = /^(jsonpath|custom-columns|custom-columns-file)=(.*)$/s.exec(o);
  if (m?.[1] === 'jsonpath') return { kind: 'jsonpath', template: m[2] };
  if (m?.[1] === 'custom-columns') return { kind: 'custom', columns: customColumns(m[2]) };
  if (m?.[1] === 'custom-columns-file') return { kind: 'custom', columns: customColumnsFile(m[2]) };
  if (o === 'custom-columns') throw new CliError('custom-columns format specified but no custom columns given');
  throw new CliError(
    `unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,name,template,templatefile,wide,yaml`,
  );
}

/** One cell of a custom column: what the path finds, as Go prints it, or `<none>`. */
function customCell(c: Column, o: ApiObject): string {
  const values = jsonPathValues(c.template, o);
  return values.length ? values.map(goSprint).join(',') : '<none>';
}

/** kubectl's --sort-by order: missing first, numbers by value, quantities by amount, else text. */
function sortObjects(objs: ApiObject[], field: string): ApiObject[] {
  const template = relaxed(field);
  const key = (o: ApiObject) => jsonPathValues(template, o)[0];
  const less = (a: unknown, b: unknown): boolean => {
    if (a === undefined) return true;
    if (b === undefined) return false;
    if (typeof a === 'number' && typeof b === 'number') return a < b;
    if (typeof a === 'string' && typeof b === 'string')
      return isQuantity(a) && isQuantity(b) ? parseQuantity(a) < parseQuantity(b) : a < b;
    return JSON.stringify(a) < JSON.stringify(b);
  };
  const keyed = objs.map((o, i) => ({ o, i, k: key(o) }));
  keyed.sort((x, y) => (less(x.k, y.k) ? -1 : less(y.k, x.k) ? 1 : x.i - y.i));
  return keyed.map((x) => x.o);
}

const labelKeys = (opts: GetOptions) => (opts.labelColumns ?? []).flatMap((l) => l.split(',')).filter(Boolean);

const kindOf = (resource: string) => resourceByPlural(resource)?.kind ?? '';

export async function runGet(args: string[], opts: GetOptions, io: Io): Promise<void> {
  if (args.length === 1 && !args[0].includes('/') && (args[0].includes(',') || args[0] === 'all')) {
    const { runGetMany, severalTypes } = await import('./get-many.js');
    return runGetMany(severalTypes(args)!, opts, io);
  }
  const { resource, names } = parseTargets(args);
  const format = parseFormat(opts.output);
  // A cluster-scoped resource (namespaces) has no namespace to name or to list across.
  const clustered = resourceByPlural(resource)?.namespaced === false;
  const ns = opts.allNamespaces || clustered ? undefined : namespaceOf(opts);
  const client = await connect(io);
  const p = await paletteFor(io, opts, format.kind !== 'table');
  const table = new TablePrinter();
  const allNs = Boolean(opts.allNamespaces) && !clustered;
  const keys = labelKeys(opts);
  const prefix = `${singularQualified(resource)}/`;
  const qualified = (cells: string[]) => (opts.qualifiedNames ? [prefix + cells[0], ...cells.slice(1)] : cells);
  const render = (objs: ApiObject[], withHeader: boolean, events?: string[]): string => {
    if (format.kind === 'custom') {
      const rows = objs.map((o) => format.columns.map((c) => customCell(c, o)));
      if (withHeader && !opts.noHeaders) rows.unshift(format.columns.map((c) => c.header));
      return table.render(rows);
    }
    const wide = format.kind === 'table' && format.wide;
    const now = Date.now();
    const rows: string[][] = [];
    if (withHeader && !opts.noHeaders) {
      const h = headersOf(kindOf(resource), wide);
      rows.push([
        ...(events ? ['EVENT'] : []),
        ...(allNs ? ['NAMESPACE'] : []),
        ...h,
        ...keys.map((k) => (k.split('/').at(-1) ?? k).toUpperCase()),
        ...(opts.showLabels ? ['LABELS'] : []),
      ]);
    }
    objs.forEach((o, i) => {
      const labels =
        Object.entries(o.metadata.labels ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) // kubectl's labels.FormatLabels order
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>';
      rows.push([
        ...(events ? [events[i]] : []),
        ...(allNs ? [o.metadata.namespace ?? ''] : []),
        ...qualified(rowOf(o, now, wide, p)),
        ...keys.map((k) => o.metadata.labels?.[k] ?? ''),
        ...(opts.showLabels ? [labels] : []),
      ]);
    });
    return table.render(rows);
  };
  const emit = async (shown: ApiObject[], single: boolean) => {
    // (A go-template sees the objects whole, managedFields too, as kubectl's does.)
    const objs = opts.showManagedFields || format.kind === 'gotemplate' ? shown : shown.map(hideManagedFields);
    if (format.kind === 'table' || format.kind === 'custom') io.out(render(objs, true));
    else if (format.kind === 'name') for (const o of objs) io.out(`${kindSlashName(o)}\n`);
    else {
      const data = single ? objs[0] : asList(objs);
      if (format.kind === 'yaml') io.out(await toYaml(data));
      else if (format.kind === 'json') io.out(toJson(data));
      else if (format.kind === 'gotemplate') {
        const input = JSON.parse(JSON.stringify(data)) as unknown;
        try {
          io.out(format.render(input));
        } catch (e) {
          if (!(e instanceof GoTemplateError)) throw e;
          // kubectl's help for a template that failed, on the output beside what it printed.
          io.out(
            `${e.partial}Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
              `\ttemplate was:\n\t\t${format.template}\n\traw data was:\n\t\t${goJson(input)}\n` +
              `\tobject given to template engine was:\n\t\t${goValue(input)}\n\n`,
          );
          throw new CliError(`error executing template ${JSON.stringify(format.template)}: ${e.message}`);
        }
      } else if (format.kind === 'jsonpath') {
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
    // The server's order (by name), as kubectl prints it, unless --sort-by says otherwise.
    objs = opts.sortBy ? sortObjects(items, opts.sortBy) : items;
    if (opts.watchOnly) return;
    if (objs.length === 0 && (format.kind === 'table' || format.kind === 'name' || format.kind === 'custom')) {
      if (!opts.watch) io.err(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
    } else if (opts.watch && (format.kind === 'table' || format.kind === 'custom')) {
      io.out(render(objs, true, opts.outputWatchEvents ? objs.map(() => 'ADDED') : undefined));
    } else await emit(objs, names.length === 1);
  };
  if (!watching) {
    await printList((await client.listAll<ApiObject>(apiPath(resource, ns), query, chunkSize(opts))).items);
    return;
  }
  // Watching: one row per change until interrupted, through server restarts and compactions.
  let first = true;
  // kubectl watches one object from revision "0": the first event is the object as it is now,
  // which was printed already.
  let synthetic = names.length > 0;
  const onEvent = async (ev: ObjectEvent<ApiObject>) => {
    if (synthetic) return void (synthetic = false);
    if (format.kind === 'table' || format.kind === 'custom')
      io.out(render([ev.object], first, opts.outputWatchEvents ? [ev.type] : undefined));
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
