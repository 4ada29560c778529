// `jobctl get jobs,pods` and `get all`: several resource types at once, as kubectl prints them —
// a table per type (names qualified: `pod/x`, `job.batch/y`), a blank line between the tables of
// types that have objects, one `No resources found` when none has; one List for -o json|yaml.
import { CATEGORY_ALL, resourceByPlural, type ApiObject } from '../api/index.js';
import { asList, hideManagedFields, toJson, toYaml } from '../print/output.js';
import { apiPath, connect, namespaceOf, resourceName } from './context.js';
import { chunkSize, runGet, type GetOptions } from './get.js';
import { CliError, type Io } from './io.js';

/** The types one argument names: `all`, or a comma list (`jobs,po`); undefined for one type. */
export function severalTypes(args: string[]): string[] | undefined {
  if (args.length !== 1 || args[0].includes('/')) return undefined;
  const words = args[0].split(',');
  const types = words.flatMap((w) => (w === 'all' ? [...CATEGORY_ALL] : [resourceName(w)]));
  return words.length > 1 || words[0] === 'all' ? [...new Set(types)] : undefined;
}

export async function runGetMany(types: string[], opts: GetOptions, io: Io): Promise<void> {
  if (opts.watch || opts.watchOnly) throw new CliError('you may only specify a single resource type');
  const ns = opts.allNamespaces ? undefined : namespaceOf(opts);
  const format = opts.output ?? '';
  if (format === 'json' || format === 'yaml') {
    const client = await connect(io);
    const query = new URLSearchParams();
    if (opts.selector) query.set('labelSelector', opts.selector);
    if (opts.fieldSelector) query.set('fieldSelector', opts.fieldSelector);
    const items: ApiObject[] = [];
    for (const t of types) {
      const where = resourceByPlural(t)?.namespaced === false ? undefined : ns; // nodes, namespaces: none
      items.push(...(await client.listAll<ApiObject>(apiPath(t, where), query, chunkSize(opts))).items);
    }
    const list = asList(opts.showManagedFields ? items : items.map(hideManagedFields));
    io.out(format === 'json' ? toJson(list) : await toYaml(list));
    return;
  }
  // Each type as `get TYPE` prints it, its names qualified; what each says of nothing is held back.
  let printed = false;
  const tables = (!format || format === 'wide' || format.startsWith('custom-columns')) && !opts.noHeaders;
  for (const t of types) {
    let out = '';
    await runGet(
      [t],
      { ...opts, qualifiedNames: true },
      { ...io, out: (text) => void (out += text), err: () => undefined },
    );
    if (!out) continue;
    io.out((printed && tables ? '\n' : '') + out);
    printed = true;
  }
  if (!printed) io.err(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
}
