import { describe, expect, it } from 'vitest';
import { misfit, podRequests, unschedulableMessage, type Node, type Pod, type Taint } from '../../src/api/index.js';

const node = (
  over: {
    labels?: Record<string, string>;
    taints?: Taint[];
    unschedulable?: boolean;
    cpu?: string;
    memory?: string;
    pods?: string;
  } = {},
): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'vm', labels: { 'kubernetes.io/hostname': 'vm', 'kubernetes.io/os': 'linux', ...over.labels } },
  spec: { taints: over.taints, unschedulable: over.unschedulable },
  status: { allocatable: { cpu: over.cpu ?? '2', memory: over.memory ?? '4Gi', pods: over.pods ?? '110' } },
});

type C = { requests?: Record<string, string>; restartPolicy?: 'Always' };
const pod = (containers: C[], spec: Partial<Pod['spec']> = {}, init: C[] = []): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    containers: containers.map((c, i) => ({ name: `c${i}`, image: 'busybox', resources: { requests: c.requests } })),
    initContainers: init.map((c, i) => ({
      name: `i${i}`,
      image: 'busybox',
      restartPolicy: c.restartPolicy,
      resources: { requests: c.requests },
    })),
    ...spec,
  },
});
const cpu = (q: string) => ({ requests: { cpu: q } });

describe("a pod's effective request", () => {
  it.each([
    ['containers add up', pod([cpu('500m'), cpu('250m')]), { cpu: 750 }],
    ['the largest init container where it is more', pod([cpu('500m')], {}, [cpu('1'), cpu('200m')]), { cpu: 1000 }],
    ['containers where they are more', pod([cpu('1'), cpu('1')], {}, [cpu('1500m')]), { cpu: 2000 }],
    [
      'a sidecar counts with both',
      pod([cpu('1')], {}, [{ ...cpu('500m'), restartPolicy: 'Always' }, cpu('1')]),
      { cpu: 1500 },
    ],
    [
      'memory in bytes, cpu rounded up to a millicore',
      pod([{ requests: { memory: '1Ki', cpu: '0.0001' } }]),
      { memory: 1024, cpu: 1 },
    ],
    ['the overhead on top', pod([cpu('1')], { overhead: { cpu: '100m' } }), { cpu: 1100 }],
  ])('%s', (_, p, want) => {
    expect(podRequests(p)).toEqual(want);
  });
});

describe('the one node takes a pod, or says why not', () => {
  const bound = (n: number, q = '500m') => Array.from({ length: n }, () => pod([cpu(q)]));
  it.each<[string, Pod, Node, Pod[], string | undefined]>([
    ['room left', pod([cpu('1')]), node(), bound(2), undefined],
    ['exactly full', pod([cpu('1')]), node(), bound(2, '500m'), undefined],
    ['no cpu left', pod([cpu('1')]), node(), bound(3), '1 Insufficient cpu'],
    ['larger than the node', pod([cpu('3')]), node(), [], '1 Insufficient cpu'],
    [
      'cpu and memory, sorted',
      pod([{ requests: { memory: '8Gi', cpu: '3' } }]),
      node(),
      [],
      '1 Insufficient cpu, 1 Insufficient memory',
    ],
    ['no request takes no room', pod([{}]), node(), bound(4), undefined],
    ['the pod limit', pod([{}]), node({ pods: '2' }), bound(2, '0'), '1 Too many pods'],
    [
      'an extended resource the node lacks',
      pod([{ requests: { 'nvidia.com/gpu': '1' } }]),
      node(),
      [],
      '1 Insufficient nvidia.com/gpu',
    ],
    [
      'a nodeSelector that matches',
      pod([{}], { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      node(),
      [],
      undefined,
    ],
    [
      'a nodeSelector that does not',
      pod([{}], { nodeSelector: { disk: 'ssd' } }),
      node(),
      [],
      "1 node(s) didn't match Pod's node affinity/selector",
    ],
    [
      'then the label is added',
      pod([{}], { nodeSelector: { disk: 'ssd' } }),
      node({ labels: { disk: 'ssd' } }),
      [],
      undefined,
    ],
    [
      'required node affinity: In',
      pod([{}], {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
            },
          },
        },
      }),
      node({ labels: { zone: 'b' } }),
      [],
      undefined,
    ],
    [
      'required node affinity: terms are ORed, expressions ANDed',
      pod([{}], {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'zone', operator: 'Exists' },
                    { key: 'gen', operator: 'Gt', values: ['3'] },
                  ],
                },
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] },
              ],
            },
          },
        },
      }),
      node({ labels: { zone: 'a', gen: '3' } }),
      [],
      "1 node(s) didn't match Pod's node affinity/selector",
    ],
    [
      'matchFields by the node name',
      pod([{}], {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['vm'] }] }],
            },
          },
        },
      }),
      node(),
      [],
      undefined,
    ],
    [
      'an untolerated taint',
      pod([{}]),
      node({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      [],
      '1 node(s) had untolerated taint {dedicated: gpu}',
    ],
    [
      'PreferNoSchedule only prefers',
      pod([{}]),
      node({ taints: [{ key: 'slow', effect: 'PreferNoSchedule' }] }),
      [],
      undefined,
    ],
    [
      'tolerated with Equal',
      pod([{}], { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
      node({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      [],
      undefined,
    ],
    [
      'not with another value',
      pod([{}], { tolerations: [{ key: 'dedicated', value: 'cpu' }] }),
      node({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }),
      [],
      '1 node(s) had untolerated taint {dedicated: gpu}',
    ],
    [
      'Exists with no key tolerates every taint',
      pod([{}], { tolerations: [{ operator: 'Exists' }] }),
      node({ taints: [{ key: 'a', effect: 'NoSchedule' }] }),
      [],
      undefined,
    ],
    ['a cordoned node', pod([{}]), node({ unschedulable: true }), [], '1 node(s) were unschedulable'],
    [
      'taints are looked at before resources',
      pod([cpu('9')]),
      node({ taints: [{ key: 'k', effect: 'NoSchedule' }] }),
      [],
      '1 node(s) had untolerated taint {k: }',
    ],
  ])('%s', (_, p, n, others, reasons) => {
    const m = misfit(p, n, others);
    expect(
      m?.reasons
        .map((r) => `1 ${r}`)
        .sort()
        .join(', '),
    ).toBe(reasons);
  });

  it('words it as kube-scheduler 1.32: room may free up, or it is not a matter of room', () => {
    expect(unschedulableMessage(misfit(pod([cpu('3')]), node(), [])!)).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    );
    expect(unschedulableMessage(misfit(pod([{}], { nodeSelector: { disk: 'ssd' } }), node(), [])!)).toBe(
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..",
    );
  });
});
