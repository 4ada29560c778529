import { describe, expect, it } from 'vitest';
import { beforeEngineWrites } from '../../src/runtime/cri.js';
import { SimulatedRuntime } from '../../src/runtime/simulated/runtime.js';

describe('beforeEngineWrites', () => {
  it('runs the hook before each call that changes the engine, not before reads', async () => {
    const calls: string[] = [];
    const runtime = beforeEngineWrites(new SimulatedRuntime(), () => calls.push('flush'));
    const spec = {
      image: 'busybox:1.35',
      cmd: ['true'],
      env: [],
      labels: { app: 'x' },
      annotations: {},
      network: { mode: 'none' as const },
      mounts: [],
      resources: {},
      security: {},
    };
    const id = await runtime.createContainer('c1', spec);
    calls.push('created');
    await runtime.inspectContainer(id);
    await runtime.listContainers(['app=x']);
    calls.push('read');
    await runtime.startContainer(id);
    await runtime.stopContainer(id, 0);
    await runtime.removeContainer(id);
    expect(calls).toEqual(['flush', 'created', 'read', 'flush', 'flush', 'flush']);
    expect(runtime.name).toBe('simulated');
  });
});
