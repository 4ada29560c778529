// `top pod`'s table as kubectl's metrics printer writes it: every cell ends with a tab (so the
// last column is padded too), CPU in millicores rounded up, memory in whole MiB, the sort (name,
// or the largest first by cpu or memory), and `--sum`'s underlined total.
import { parseQuantity } from '../api/index.js';
import { tabwrite } from './tabwriter.js';

export interface ContainerMetrics {
  name: string;
  usage: { cpu?: string; memory?: string };
}

export interface PodMetrics {
  metadata: { name?: string; namespace?: string };
  containers: ContainerMetrics[];
}

export interface TopOptions {
  containers: boolean;
  allNamespaces: boolean;
  noHeaders: boolean;
  sortBy?: 'cpu' | 'memory';
  sum: boolean;
}

/** Go's Quantity.MilliValue (rounded up) and Value, of a usage. */
const milli = (q: string | undefined): number => (q ? Math.ceil(parseQuantity(q) * 1000 - 1e-9) : 0);
const value = (q: string | undefined): number => (q ? Math.ceil(parseQuantity(q) - 1e-9) : 0);

interface Usage {
  cpuMilli: number;
  memory: number;
}

const usageOf = (c: ContainerMetrics): Usage => ({ cpuMilli: milli(c.usage.cpu), memory: value(c.usage.memory) });
const total = (list: Usage[]): Usage =>
  list.reduce((a, u) => ({ cpuMilli: a.cpuMilli + u.cpuMilli, memory: a.memory + u.memory }), {
    cpuMilli: 0,
    memory: 0,
  });
const cells = (u: Usage): string => `${u.cpuMilli}m\t${Math.floor(u.memory / (1024 * 1024))}Mi\t`;

function bySort<T>(sortBy: TopOptions['sortBy'], usage: (x: T) => Usage, byName: (a: T, b: T) => number) {
  return (a: T, b: T): number => {
    if (sortBy === 'cpu') return usage(b).cpuMilli - usage(a).cpuMilli;
    if (sortBy === 'memory') return usage(b).memory - usage(a).memory;
    return byName(a, b);
  };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function formatTopPods(items: readonly PodMetrics[], o: TopOptions): string {
  if (!items.length) return '';
  let text = '';
  let columns = 3;
  if (!o.noHeaders) {
    // (kubectl counts the extra columns for --sum only when it prints the header.)
    if (o.allNamespaces) {
      text += 'NAMESPACE\t';
      columns++;
    }
    if (o.containers) {
      text += 'POD\t';
      columns++;
    }
    text += 'NAME\tCPU(cores)\tMEMORY(bytes)\t\n';
  }
  const podUsage = (p: PodMetrics) => total(p.containers.map(usageOf));
  const pods = [...items].sort(
    bySort(o.sortBy, podUsage, (a, b) =>
      o.allNamespaces && a.metadata.namespace !== b.metadata.namespace
        ? compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '')
        : compareText(a.metadata.name ?? '', b.metadata.name ?? ''),
    ),
  );
  const ns = (p: PodMetrics) => (o.allNamespaces ? `${p.metadata.namespace}\t` : '');
  for (const p of pods) {
    if (o.containers) {
      const sorted = [...p.containers].sort(bySort(o.sortBy, usageOf, (a, b) => compareText(a.name, b.name)));
      for (const c of sorted) text += `${ns(p)}${p.metadata.name}\t${c.name}\t${cells(usageOf(c))}\n`;
    } else text += `${ns(p)}${p.metadata.name}\t${cells(podUsage(p))}\n`;
  }
  if (o.sum) {
    const lead = '\t'.repeat(Math.max(0, columns - 2));
    text += `${lead}________\t________\t\n${lead}${cells(total(pods.map(podUsage)))}`;
  }
  return tabwrite(text.replace(/\n$/, ''), 3) + '\n';
}

export interface NodeMetrics {
  metadata: { name?: string };
  usage: { cpu?: string; memory?: string };
}

/**
 * `top node`'s table: each node's usage and its share of what the node offers (allocatable, or
 * capacity with --show-capacity; kubectl truncates the percentage), then the nodes listed without
 * metrics as `<unknown>`.
 */
export function formatTopNodes(
  items: readonly NodeMetrics[],
  available: ReadonlyMap<string, { cpu?: string; memory?: string }>,
  o: { noHeaders: boolean; sortBy?: 'cpu' | 'memory' },
): string {
  if (!items.length) return '';
  const usage = (n: NodeMetrics): Usage => ({ cpuMilli: milli(n.usage.cpu), memory: value(n.usage.memory) });
  const nodes = [...items].sort(
    bySort(o.sortBy, usage, (a, b) => compareText(a.metadata.name ?? '', b.metadata.name ?? '')),
  );
  const share = (used: number, of: string | undefined, unit: (q: string) => number) =>
    of === undefined ? '' : `${Math.trunc((used / unit(of)) * 100)}%\t`;
  let text = o.noHeaders ? '' : 'NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n';
  const missing = new Map(available);
  for (const n of nodes) {
    const name = n.metadata.name ?? '';
    const u = usage(n);
    const a = available.get(name);
    text += `${name}\t${u.cpuMilli}m\t${share(u.cpuMilli, a?.cpu, milli)}`;
    text += `${Math.floor(u.memory / (1024 * 1024))}Mi\t${share(u.memory, a?.memory, value)}\n`;
    missing.delete(name);
  }
  for (const name of missing.keys()) text += `${name}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`;
  return tabwrite(text.replace(/\n$/, ''), 3) + '\n';
}
