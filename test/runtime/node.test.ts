import { describe, expect, it } from 'vitest';
import { nodeObject } from '../../src/runtime/node.js';

const info = {
  cpus: 2,
  memoryBytes: 4 * 1024 ** 3,
  operatingSystem: 'linux',
  architecture: 'amd64',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  runtimeVersion: 'docker://20.10.24',
  storageBytes: 100 * 1024 ** 3,
};
const now = new Date('2026-11-30T12:00:00Z');

describe('the node as the kubelet registers it', () => {
  it("reports the engine's capacity, less the kubelet's eviction thresholds as allocatable", () => {
    const n = nodeObject('vm', info, { kubeletVersion: 'v1.32.0-jobctl' }, now);
    expect(n.status?.capacity).toEqual({ cpu: '2', memory: '4Gi', 'ephemeral-storage': '100Gi', pods: '110' });
    expect(n.status?.allocatable).toEqual({
      cpu: '2',
      memory: '3996Mi',
      'ephemeral-storage': String(100 * 1024 ** 3 - Math.floor(10 * 1024 ** 3)),
      pods: '110',
    });
    expect(n.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'vm', 'kubernetes.io/arch': 'amd64' });
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    });
  });

  it('lowers allocatable as set, and keeps what users set and when conditions began', () => {
    const first = nodeObject('vm', info, { kubeletVersion: 'v', cpu: '1500m', memory: '2Gi', pods: 20 }, now);
    first.metadata.labels = { ...first.metadata.labels, disk: 'ssd' };
    first.spec = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
    const later = nodeObject('vm', info, { kubeletVersion: 'v', cpu: '1.5' }, new Date('2026-12-01T00:00:00Z'), first);
    expect(first.status?.allocatable).toMatchObject({ cpu: '1500m', memory: '2Gi', pods: '20' });
    expect(later.status?.allocatable).toMatchObject({ cpu: '1500m', memory: '3996Mi', pods: '110' });
    expect(later.metadata.labels?.disk).toBe('ssd');
    expect(later.spec?.taints).toEqual(first.spec.taints);
    expect(later.metadata.uid).toBe(first.metadata.uid);
    expect(later.status?.conditions?.[3]).toMatchObject({
      type: 'Ready',
      lastTransitionTime: '2026-11-30T12:00:00Z',
      lastHeartbeatTime: '2026-12-01T00:00:00Z',
    });
  });
});
