// `top pod`'s table (print/top.ts) on fixed metrics: kubectl's padding (the last column too), CPU
// rounded up to millicores, memory down to MiB, its sorts, and --sum's total under its rule.
import { describe, expect, it } from 'vitest';
import { formatTopNodes, formatTopPods, type NodeMetrics, type PodMetrics } from '../../src/print/top.js';

const pod = (name: string, namespace: string, ...containers: [string, string, string][]): PodMetrics => ({
  metadata: { name, namespace },
  containers: containers.map(([n, cpu, memory]) => ({ name: n, usage: { cpu, memory } })),
});

const pods = [
  pod('b-pod', 'default', ['main', '1n', '1048575'], ['side', '2500000n', '2Mi']),
  pod('a-pod', 'other', ['main', '400000000n', '10240Ki']),
];
const plain = { containers: false, allNamespaces: false, noHeaders: false, sum: false };

describe('top pod table', () => {
  it('rounds and pads as kubectl does, sorted by name', () => {
    expect(formatTopPods(pods, plain)).toBe(
      'NAME    CPU(cores)   MEMORY(bytes)   \n' +
        'a-pod   400m         10Mi            \n' +
        'b-pod   4m           2Mi             \n',
    );
  });

  it('sorts by cpu or memory, largest first, and per container with --containers', () => {
    const text = formatTopPods(pods, { ...plain, containers: true, allNamespaces: true, sortBy: 'memory' });
    expect(text.split('\n').map((l) => l.trimEnd())).toEqual([
      'NAMESPACE   POD     NAME   CPU(cores)   MEMORY(bytes)',
      'other       a-pod   main   400m         10Mi',
      'default     b-pod   side   3m           2Mi',
      'default     b-pod   main   1m           0Mi',
      '',
    ]);
  });

  it('adds the sum under a rule, one empty cell fewer without headers (as kubectl counts them)', () => {
    expect(
      formatTopPods(pods, { ...plain, sum: true })
        .split('\n')
        .map((l) => l.trimEnd()),
    ).toEqual([
      'NAME    CPU(cores)   MEMORY(bytes)',
      'a-pod   400m         10Mi',
      'b-pod   4m           2Mi',
      '        ________     ________',
      '        404m         12Mi',
      '',
    ]);
    const bare = formatTopPods(pods, { ...plain, sum: true, noHeaders: true, containers: true }).split('\n');
    expect(bare.slice(-3, -1).map((l) => l.trimEnd())).toEqual([
      '        ________   ________',
      '        404m       12Mi',
    ]);
  });

  it('prints nothing for no metrics', () => {
    expect(formatTopPods([], plain)).toBe('');
  });
});

describe('top node table', () => {
  const node = (name: string, cpu: string, memory: string): NodeMetrics => ({
    metadata: { name },
    usage: { cpu, memory },
  });
  const offers = new Map([
    ['a', { cpu: '2', memory: '1000Mi' }],
    ['b', { cpu: '4', memory: '8Gi' }],
    ['gone', { cpu: '1', memory: '1Gi' }],
  ]);

  it('gives shares of what each node offers, truncated, and <unknown> for a node without metrics', () => {
    const text = formatTopNodes([node('b', '999999n', '1Gi'), node('a', '1500m', '999Mi')], offers, {
      noHeaders: false,
    });
    expect(text.split('\n').map((l) => l.trimEnd())).toEqual([
      'NAME   CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)',
      'a      1500m        75%         999Mi           99%',
      'b      1m           0%          1024Mi          12%',
      'gone   <unknown>    <unknown>   <unknown>       <unknown>',
      '',
    ]);
  });

  it('sorts the largest first by cpu or memory; a node not listed gets no shares', () => {
    const text = formatTopNodes([node('a', '1', '1Mi'), node('z', '3', '2Mi')], new Map(), {
      noHeaders: true,
      sortBy: 'cpu',
    });
    expect(text).toBe('z   3000m   2Mi   \na   1000m   1Mi   \n');
  });
});
