// `jobctl api-resources`, as kubectl 1.32's: what the server's discovery says it serves (the
// preferred version of each group; no subresources), in kubectl's order, columns and words. It
// asks the server, so it tells the truth of a cluster too.
import type { ApiClient } from '../client/index.js';
import { TablePrinter } from '../print/tabwriter.js';
import { connect } from './context.js';
import { CliError, ExitError, type Io } from './io.js';

interface DiscoveredResource {
  name: string;
  singularName?: string;
  shortNames?: string[];
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories?: string[];
}

export interface Served extends DiscoveredResource {
  group: string;
  groupVersion: string;
}

export interface ApiResourcesOptions {
  output?: string;
  noHeaders?: boolean;
  apiGroup?: string;
  namespaced?: string;
  verbs?: string[];
  sortBy?: string;
  categories?: string[];
}

/** Every resource the server's discovery lists, in the preferred version of each group. */
export async function discover(client: ApiClient): Promise<Served[]> {
  type List = { groupVersion: string; resources: DiscoveredResource[] };
  const lists: List[] = [];
  const core = await client.get<{ versions: string[] }>('/api');
  for (const v of core.versions.slice(0, 1)) lists.push(await client.get<List>(`/api/${v}`));
  const groups = await client.get<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>('/apis');
  for (const g of groups.groups) lists.push(await client.get<List>(`/apis/${g.preferredVersion.groupVersion}`));
  return lists.flatMap((l) => {
    const group = l.groupVersion.includes('/') ? l.groupVersion.split('/')[0] : '';
    return (l.resources ?? [])
      .filter((r) => !r.name.includes('/') && r.verbs?.length)
      .map((r) => ({ ...r, group, groupVersion: l.groupVersion }));
  });
}

const split = (values: string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(',')).filter(Boolean);

export async function runApiResources(args: string[], opts: ApiResourcesOptions, io: Io): Promise<void> {
  if (args.length) {
    io.err(`error: unexpected arguments: [${args.join(' ')}]\nSee 'jobctl api-resources -h' for help and examples\n`);
    throw new ExitError(1);
  }
  const sortBy = opts.sortBy ?? '';
  if (!['', 'name', 'kind'].includes(sortBy)) throw new CliError('--sort-by accepts only name or kind');
  const output = opts.output ?? '';
  if (!['', 'wide', 'name'].includes(output)) throw new CliError(`--output ${output} is not available`);
  const verbs = split(opts.verbs);
  const categories = split(opts.categories);
  const namespaced = opts.namespaced === undefined ? undefined : opts.namespaced !== 'false';
  const client = await connect(io);
  const resources = (await discover(client)).filter(
    (r) =>
      (opts.apiGroup === undefined || r.group === opts.apiGroup) &&
      (namespaced === undefined || r.namespaced === namespaced) &&
      verbs.every((v) => r.verbs.includes(v)) &&
      categories.every((c) => (r.categories ?? []).includes(c)),
  );
  const key = (r: Served) => (sortBy === 'name' ? r.name : sortBy === 'kind' ? r.kind : r.group);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  resources.sort((a, b) => cmp(key(a), key(b)) || cmp(a.name, b.name)); // stable, as sort.Stable
  if (output === 'name') {
    io.out(resources.map((r) => (r.group ? `${r.name}.${r.group}\n` : `${r.name}\n`)).join(''));
    return;
  }
  const wide = output === 'wide';
  const rows = resources.map((r) => [
    r.name,
    (r.shortNames ?? []).join(','),
    r.groupVersion,
    String(r.namespaced),
    r.kind,
    ...(wide ? [r.verbs.join(','), (r.categories ?? []).join(',')] : []),
  ]);
  if (!opts.noHeaders)
    rows.unshift(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
  io.out(new TablePrinter().render(rows));
}
