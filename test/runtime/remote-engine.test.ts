// An engine on another host (DOCKER_HOST=ssh://build, tcp://10.0.0.5:2376): files jobctl writes
// on this machine cannot reach its containers, so volumes made of them wait with FailedMount,
// saying so, instead of mounting empty directories there; hostPath volumes (the engine host's
// paths, as a node's) and sized memory emptyDirs (engine volumes) still work. An engine reached
// through a socket here, or over loopback, is on this machine.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/index.js';
import { DockerRuntime } from '../../src/runtime/docker/engine.js';
import { onThisMachine } from '../../src/runtime/docker/endpoint.js';
import { MountError, prepareVolumes } from '../../src/runtime/pod-resources.js';
import { tempDir } from '../helpers/temp.js';

const root = tempDir('jobctl-remote-');
const source = { getConfigMap: () => undefined, getSecret: () => undefined };
const pod = (volumes: NonNullable<Pod['spec']['volumes']>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], volumes },
});
const remote = 'ssh://me@build (DOCKER_HOST)';

describe('an engine on another host', () => {
  it('is told by its transport: a socket or loopback is this machine', () => {
    expect(onThisMachine({ kind: 'unix', socket: '/var/run/docker.sock' })).toBe(true);
    expect(onThisMachine({ kind: 'tcp', host: '127.0.0.1', port: 2376 })).toBe(true);
    expect(onThisMachine({ kind: 'tcp', host: '::1', port: 2376 })).toBe(true);
    expect(onThisMachine({ kind: 'ssh', host: 'localhost', args: [] })).toBe(true);
    expect(onThisMachine({ kind: 'tcp', host: '10.0.0.5', port: 2376 })).toBe(false);
    expect(onThisMachine({ kind: 'ssh', host: 'build', args: [] })).toBe(false);
  });

  it('a DockerRuntime there binds no host paths and says where it is', () => {
    const far = new DockerRuntime({
      host: 'tcp://10.0.0.5:2376',
      from: 'DOCKER_HOST',
      transport: { kind: 'tcp', host: '10.0.0.5', port: 2376 },
    });
    const near = new DockerRuntime({
      host: 'unix:///s',
      from: 'DOCKER_HOST',
      transport: { kind: 'unix', socket: '/s' },
    });
    expect([far.bindsHostPaths, far.remote]).toEqual([false, 'tcp://10.0.0.5:2376 (DOCKER_HOST)']);
    expect([near.bindsHostPaths, near.remote]).toEqual([true, undefined]);
    far.close();
    near.close();
  });

  it('volumes of files written here are refused, naming the volume and the engine; the others are set up', () => {
    for (const [kind, v] of [
      ['configMap', { name: 'cfg', configMap: { name: 'x' } }],
      ['secret', { name: 'cfg', secret: { secretName: 'x' } }],
      ['downwardAPI', { name: 'cfg', downwardAPI: { items: [] } }],
      ['emptyDir', { name: 'cfg', emptyDir: {} }],
    ] as const) {
      expect(() => prepareVolumes(pod([v]), root, source, remote)).toThrow(MountError);
      expect(() => prepareVolumes(pod([v]), root, source, remote)).toThrow(
        `volume "cfg": ${kind} volumes are files jobctl keeps on this machine, and the engine at ${remote} is on another host`,
      );
    }
    const ok = prepareVolumes(
      pod([
        { name: 'data', hostPath: { path: '/srv/data' } },
        { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      ]),
      root,
      source,
      remote,
    );
    expect([...ok.keys()]).toEqual(['data', 'scratch']);
    // On this machine, all of them.
    expect(prepareVolumes(pod([{ name: 'e', emptyDir: {} }]), root, source).get('e')?.hostPath).toContain(root);
  });
});
