// A non-root user whose engine is rootless Podman (issue 17, item 3), run as such a user by
// scripts/test-rootless with nothing set: jobctl finds the user's Podman socket itself, runs Jobs
// with the user namespace's users, says on the pod what the engine cannot do for it (limits on
// cgroup v1), and what needs root fails with its reason instead of hanging.
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/index.js';
import { Home, jobYaml, type List } from './harness.js';

const home = new Home('500ms');
afterAll(() => home.cleanup());

const podOf = async (job: string) => (await home.json<List<Pod>>(['get', 'pods', '-l', `job-name=${job}`])).items[0];

describe('rootless Podman, as a user who is not root', () => {
  it('is found with nothing set: the docker socket is not this user’s', async () => {
    expect(process.getuid?.()).not.toBe(0);
    expect(process.env.DOCKER_HOST).toBeUndefined();
    const v = await home.ok(['version']);
    expect(v).toMatch(
      new RegExp(
        `^Engine: podman \\S+ at unix://${process.env.XDG_RUNTIME_DIR}/podman/podman\\.sock \\(Podman's socket: no Docker engine at /var/run/docker\\.sock for this user\\)$`,
        'm',
      ),
    );
  });

  it('runs as the users a securityContext asks for, inside the user namespace', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('as-user', ['sh', '-c', 'echo $(id -u):$(id -g); touch /x 2>/dev/null || echo read-only'], {
        pod: '      securityContext: {runAsUser: 1000, runAsGroup: 3000}\n',
        container: '        securityContext: {readOnlyRootFilesystem: true}\n',
      }),
    );
    await home.ok(['wait', '--for=condition=complete', 'job/as-user', '--timeout=60s']);
    expect(await home.ok(['logs', 'job/as-user'])).toBe('1000:3000\nread-only\n');
  });

  it('limits the engine cannot enforce are said on the pod, and the Job still runs', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('limited', ['true'], { container: '        resources: {limits: {cpu: 500m, memory: 64Mi}}\n' }),
    );
    await home.ok(['wait', '--for=condition=complete', 'job/limited', '--timeout=60s']);
    const p = await podOf('limited');
    const events = await home.ok([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${p.metadata.name},reason=LimitsNotEnforced`,
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    expect(events).toBe(
      'cpu and memory limits not enforced: the engine is rootless on cgroup v1, where it cannot set them (cgroup v2 can)',
    );
  });

  it('what needs root fails with the reason, not a hang: a hostPath only root may read', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('needs-root', ['ls', '/secret'], {
        spec: '  backoffLimit: 0\n',
        pod: '      volumes: [{name: s, hostPath: {path: /root}}]\n',
        container: '        volumeMounts: [{name: s, mountPath: /secret}]\n',
      }),
    );
    await home.ok(['wait', '--for=condition=failed', 'job/needs-root', '--timeout=60s']);
    expect(await home.ok(['logs', 'job/needs-root'])).toBe("ls: can't open '/secret': Permission denied\n");
  });
});
