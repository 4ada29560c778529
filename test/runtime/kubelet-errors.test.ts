// The kubelet's typed errors, on the simulated runtime with scripted failures: a runtime failure
// is said on the pod with the runtime's own message; a bug is logged with its stack, not retried
// as FailedSync.
import { describe, expect, it, vi } from 'vitest';
import type { Pod, PodStatus } from '../../src/api/index.js';
import { RuntimeError, type ContainerSpec } from '../../src/runtime/cri.js';
import { Kubelet, type PodHost } from '../../src/runtime/kubelet.js';
import { SimulatedRuntime } from '../../src/runtime/simulated/runtime.js';
import { tempDir } from '../helpers/temp.js';

function setup(
  runtime: SimulatedRuntime,
  opts: { backoffBaseMs?: number; restartPolicy?: 'Never' | 'OnFailure'; command?: string[] } = {},
) {
  const events: string[] = [];
  const logs: string[] = [];
  let status: PodStatus = {};
  const host: PodHost = {
    setPodStatus: (_p, s) => ((status = structuredClone(s)), true),
    recordEvent: (_p, type, reason, message) => void events.push(`${type} ${reason} ${message}`),
    together: (fn) => fn(),
    podTerminated: () => undefined,
    recordContainer: () => undefined,
    forgetContainer: () => undefined,
    knownContainers: () => new Set(),
    jobExists: () => true,
    getConfigMap: () => undefined,
    getSecret: () => undefined,
  };
  const dir = tempDir('jobctl-kubelet-');
  const kubelet = new Kubelet(runtime, host, {
    instanceId: 'test',
    logRoot: `${dir}/logs`,
    podRoot: `${dir}/pods`,
    nodeName: 'node',
    backoffBaseMs: opts.backoffBaseMs ?? 60_000,
    evictionIntervalMs: 60_000,
    log: (m) => void logs.push(m),
  });
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: {
      nodeName: 'node',
      restartPolicy: opts.restartPolicy ?? 'Never',
      containers: [{ name: 'c', image: 'busybox:1.35', command: opts.command ?? ['true'] }],
    },
  };
  kubelet.podChanged(pod, false);
  return { events, logs, status: () => status, kubelet };
}

describe('kubelet errors', () => {
  it("a runtime failure to create shows as CreateContainerError with the runtime's message", async () => {
    const runtime = new SimulatedRuntime();
    runtime.createContainer = async () => {
      throw new RuntimeError(500, 'no space left on device');
    };
    const t = setup(runtime);
    await vi.waitFor(() =>
      expect(t.status().containerStatuses?.[0].state.waiting).toEqual({
        reason: 'CreateContainerError',
        message: 'no space left on device',
      }),
    );
    expect(t.events).toContain('Warning Failed Error: no space left on device');
    await t.kubelet.shutdown();
  });

  it('a bug is logged with its stack and not retried as FailedSync', async () => {
    const runtime = new SimulatedRuntime();
    runtime.startContainer = async () => {
      (undefined as unknown as ContainerSpec).image.trim();
    };
    const t = setup(runtime);
    await vi.waitFor(() =>
      expect(t.logs.some((l) => l.startsWith('kubelet: bug while handling pod p_default(u1): TypeError'))).toBe(true),
    );
    expect(t.logs.find((l) => l.includes('TypeError'))).toMatch(/\n\s+at /);
    expect(t.events.filter((e) => e.includes('FailedSync'))).toEqual([]);
    await t.kubelet.shutdown();
  });

  it('an unreachable runtime is FailedSync, naming where it was sought', async () => {
    const runtime = new SimulatedRuntime();
    runtime.startContainer = async () => {
      throw new RuntimeError(0, 'connect ENOENT /nonexistent');
    };
    const t = setup(runtime);
    await vi.waitFor(() =>
      expect(t.events).toContain(
        'Warning FailedSync error talking to the simulated runtime at memory: connect ENOENT /nonexistent',
      ),
    );
    await t.kubelet.shutdown();
  });

  it('a restart the runtime broke off (the engine went away) is taken up again once it answers', async () => {
    const runtime = new SimulatedRuntime();
    const start = runtime.startContainer.bind(runtime);
    let starts = 0;
    runtime.startContainer = async (id) => {
      if (++starts === 2) throw new RuntimeError(0, 'connect ENOENT /var/run/docker.sock');
      return start(id);
    };
    const t = setup(runtime, { backoffBaseMs: 20, restartPolicy: 'OnFailure', command: ['false'] });
    // Before, the container stayed terminated after the FailedSync retry: no restart came again.
    await vi.waitFor(() => expect(t.status().containerStatuses?.[0].restartCount).toBeGreaterThanOrEqual(3), {
      timeout: 5000,
    });
    expect(t.events.filter((e) => e.startsWith('Warning FailedSync'))).toHaveLength(1);
    await t.kubelet.shutdown();
  });
});
