// Engine faults, foreign containers, a locked-down home, and hostile requests (issue 5).
import { execFile } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/index.js';
import { Home, jobYaml, runFlags, sleep, until } from './harness.js';

const run = promisify(execFile);
const home = new Home('500ms');
afterAll(() => home.cleanup());

const pods = (job: string) => home.podsOf(job);

describe('faults and hostile input', () => {
  it("a container removed behind jobctl's back fails its pod with a clear reason, and the job retries", async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('yanked', ['sh', '-c', 'sleep 3; echo finished'], { spec: '  backoffLimit: 2\n' }),
    );
    const first = await until('a running pod', async () =>
      (await pods('yanked')).find((p) => p.status?.phase === 'Running'),
    );
    const id = first.status!.containerStatuses![0].containerID!.replace('docker://', '');
    await run('docker', ['rm', '-f', id]);
    await home.ok(['wait', '--for=condition=complete', 'job/yanked', '--timeout=60s']);
    const gone = (await pods('yanked')).find((p) => p.metadata.name === first.metadata.name)!;
    expect(gone.status).toMatchObject({ phase: 'Failed', reason: 'ContainerVanished' });
    expect(gone.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'TerminationByKubelet',
    });
    expect((await home.json<Job>(['get', 'job', 'yanked'])).status).toMatchObject({ failed: 1, succeeded: 1 });
  });

  it('never touches a container it did not create, even one whose labels imitate its own', async () => {
    await home.ok(['get', 'jobs']);
    const instance = home.instanceId()!;
    const { stdout } = await run('docker', [
      'run',
      '-d',
      ...runFlags(),
      '--network',
      'none',
      '--label',
      `io.jobctl.instance=${instance}`,
      '--label',
      'io.kubernetes.pod.uid=not-a-pod',
      '--label',
      'io.kubernetes.container.name=c',
      'busybox:1.35',
      'sleep',
      '120',
    ]);
    const imitator = stdout.trim();
    try {
      await home.ok(['server', 'stop']);
      await home.ok(['get', 'jobs']); // a fresh server reconciles at start
      await sleep(1500);
      const { stdout: state } = await run('docker', ['inspect', '-f', '{{.State.Running}}', imitator]);
      expect(state.trim()).toBe('true');
    } finally {
      await run('docker', ['rm', '-f', imitator]);
    }
  });

  it('refuses to start when JOBCTL_HOME is writable by others', async () => {
    const other = new Home();
    chmodSync(other.dir, 0o777);
    const r = await other.jobctl(['server']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .* is writable by others \(mode 777\); run: chmod 700 /);
    chmodSync(other.dir, 0o700);
    await other.cleanup();
  });

  it('hostile requests get a 4xx Status, change nothing, and the server keeps serving', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('steady', ['true']));
    await home.ok(['wait', '--for=condition=complete', 'job/steady']);
    const before = await home.ok(['get', 'jobs', '-A', '-o', 'json']);
    const send = (method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}) =>
      home.api(method, path, body, headers);
    let seed = 99;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const paths = [
      '/apis/batch/v1/namespaces/default/jobs',
      '/apis/batch/v1/namespaces/default/jobs/steady',
      '/apis/batch/v1/namespaces/default/jobs/steady/status',
      '/api/v1/namespaces/default/pods',
      '/api/v1/namespaces/default/pods/x/log',
      '/api/v1/namespaces/../../etc/passwd',
      '/apis/batch/v1/namespaces/default/jobs/%2e%2e',
      '/api/v1/namespaces/default/configmaps',
      '/apis/batch/v2/jobs',
      '/api/v1/namespaces/default/secrets/a/b/c',
      '/api/v1/namespaces/default/events?watch=maybe&labelSelector=%%%',
      '/apis/batch/v1/namespaces/default/jobs?labelSelector=a+in+(',
      '/api/v1/namespaces/default/pods?fieldSelector=~~~',
    ];
    const bodies = [
      '{',
      '[]',
      'null',
      '{"kind":"Job"}',
      '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"Bad_Name"},"spec":{}}',
      '{"kind":"Job","spec":{"parallelism":"x"}}',
      JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'steady' },
        spec: { template: { spec: { containers: [] } } },
      }),
      '\u0000\u0001binary',
      '{"a":' + '['.repeat(5000),
    ];
    const types = [
      'application/json',
      'text/plain',
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/x-www-form-urlencoded',
    ];
    for (let i = 0; i < 300; i++) {
      const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'BREW']);
      const mutating = method !== 'GET';
      const path = pick(paths);
      const lastBody = mutating ? pick(bodies) : undefined;
      const lastType = pick(types);
      const res = await send(method, path, lastBody, { 'Content-Type': lastType });
      // A mutating request either is refused or is a no-op (checked by comparing the state at the end).
      if (method === 'DELETE' || method === 'POST')
        expect(res.status, `${method} ${path} ${String(lastBody).slice(0, 60)} ${lastType}`).toBeGreaterThanOrEqual(
          400,
        );
      if (!mutating && path.includes('/log')) expect(res.status).toBe(404);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      if (res.status >= 400)
        expect(JSON.parse(res.body), `${method} ${path}`).toMatchObject({ kind: 'Status', status: 'Failure' });
    }
    const huge = await send('POST', '/apis/batch/v1/namespaces/default/jobs', Buffer.alloc(9 * 1024 * 1024, 'a'), {
      'Content-Type': 'application/json',
    });
    expect(huge.status).toBe(413);
    const noToken = (await send('GET', '/apis/batch/v1/jobs', undefined, { Authorization: 'Bearer wrong' })).status;
    expect(noToken).toBe(401);
    expect(await home.ok(['get', 'jobs', '-A', '-o', 'json'])).toBe(before);
  });
});
