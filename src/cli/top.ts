// `jobctl top pod [NAME | -l SELECTOR]` and `top node`, as kubectl's: the resource metrics API
// found through discovery (jobctl's server serves it from the engine's stats and the machine's
// own; a cluster's metrics-server likewise), kubectl's table and sort, and its words when there
// are no metrics: a finished pod's are not found, a new pod's are not there yet.
import type { Node, Pod } from '../api/index.js';
import type { ApiClient } from '../client/index.js';
import { formatTopNodes, formatTopPods, type NodeMetrics, type PodMetrics } from '../print/top.js';
import { apiPath, connect, namespaceOf, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

export interface TopOptions extends GlobalOptions {
  selector?: string;
  fieldSelector?: string;
  sortBy?: string;
  containers?: boolean;
  allNamespaces?: boolean;
  noHeaders?: boolean;
  sum?: boolean;
}

const METRICS_GROUP = 'metrics.k8s.io';
const SUPPORTED_VERSIONS = ['v1beta1'];
/** How long metrics may take to appear for a new pod before kubectl says they are missing. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

/** Go's Duration.String of a span of milliseconds (`3m2.5s`, `1h0m0s`). */
function goDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Number(((ms % 60_000) / 1000).toFixed(3));
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

/** The version of the resource metrics API the server serves, found in its discovery. */
async function metricsVersion(client: ApiClient): Promise<string> {
  const groups = await client.get<{ groups?: { name: string; versions: { version: string }[] }[] }>('/apis');
  const version = groups.groups
    ?.find((g) => g.name === METRICS_GROUP)
    ?.versions.map((v) => v.version)
    .find((v) => SUPPORTED_VERSIONS.includes(v));
  if (!version) throw new CliError('Metrics API not available');
  return version;
}

export async function runTopPod(args: string[], opts: TopOptions, io: Io): Promise<void> {
  if (args.length > 1) throw new CliError("pod [NAME | -l label]\nSee 'jobctl top pod --help' for usage.");
  const name = args[0];
  if (opts.sortBy && opts.sortBy !== 'cpu' && opts.sortBy !== 'memory')
    throw new CliError('--sort-by accepts only cpu or memory');
  if (name && (opts.selector || opts.fieldSelector)) throw new CliError('only one of NAME or selector can be provided');
  const ns = namespaceOf(opts);
  const client = await connect(io);
  const version = await metricsVersion(client);
  const base = `/apis/${METRICS_GROUP}/${version}${opts.allNamespaces ? '' : `/namespaces/${encodeURIComponent(ns)}`}/pods`;
  const selectors = new URLSearchParams();
  if (opts.fieldSelector) selectors.set('fieldSelector', opts.fieldSelector);
  if (opts.selector) selectors.set('labelSelector', opts.selector);
  const items = name
    ? [await client.get<PodMetrics>(`${base}/${encodeURIComponent(name)}`)]
    : (await client.get<{ items: PodMetrics[] }>(selectors.size ? `${base}?${selectors}` : base)).items;
  if (!items.length) {
    // Why there are none: no pods at all, or pods too new to have been measured.
    const pods = (await client.listAll<Pod>(apiPath('pods', opts.allNamespaces ? undefined : ns), selectors)).items;
    if (pods.length) {
      for (const p of pods) {
        const age = Date.now() - Date.parse(p.metadata.creationTimestamp ?? '');
        if (age > METRICS_CREATION_DELAY_MS)
          throw new CliError(
            `Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${goDuration(age)}`,
          );
      }
      throw new CliError('metrics not available yet');
    }
    io.err(opts.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
    return;
  }
  io.out(
    formatTopPods(items, {
      containers: Boolean(opts.containers),
      allNamespaces: Boolean(opts.allNamespaces),
      noHeaders: Boolean(opts.noHeaders),
      sortBy: opts.sortBy as 'cpu' | 'memory' | undefined,
      sum: Boolean(opts.sum),
    }),
  );
}

export interface TopNodeOptions {
  selector?: string;
  sortBy?: string;
  noHeaders?: boolean;
  showCapacity?: boolean;
}

/** `jobctl top node [NAME | -l SELECTOR]`, as kubectl's: usage against what each node offers. */
export async function runTopNode(args: string[], opts: TopNodeOptions, io: Io): Promise<void> {
  if (args.length > 1) throw new CliError("node [NAME | -l label]\nSee 'jobctl top node --help' for usage.");
  const name = args[0];
  if (opts.sortBy && opts.sortBy !== 'cpu' && opts.sortBy !== 'memory')
    throw new CliError('--sort-by accepts only cpu or memory');
  if (name && opts.selector) throw new CliError('only one of NAME or --selector can be provided');
  const client = await connect(io);
  const base = `/apis/${METRICS_GROUP}/${await metricsVersion(client)}/nodes`;
  const selectors = new URLSearchParams(opts.selector ? { labelSelector: opts.selector } : {});
  const items = name
    ? [await client.get<NodeMetrics>(`${base}/${encodeURIComponent(name)}`)]
    : (await client.get<{ items: NodeMetrics[] }>(selectors.size ? `${base}?${selectors}` : base)).items;
  if (!items.length) throw new CliError('metrics not available yet');
  const nodes = name
    ? [await client.get<Node>(`${apiPath('nodes', undefined)}/${encodeURIComponent(name)}`)]
    : (await client.listAll<Node>(apiPath('nodes', undefined), selectors)).items;
  const available = new Map(
    nodes.map((n) => [n.metadata.name ?? '', (opts.showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {}]),
  );
  io.out(
    formatTopNodes(items, available, {
      noHeaders: Boolean(opts.noHeaders),
      sortBy: opts.sortBy as 'cpu' | 'memory' | undefined,
    }),
  );
}
