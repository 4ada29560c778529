// The Job controller with pods that wait for the node (issue 16), on the simulated runtime: the
// controller is unchanged by scheduling. Waiting pods are active; activeDeadlineSeconds runs
// while they wait; suspending deletes them too, and none counts as a failure. (That pods wait,
// and run as room frees, is proven on the engine: test/e2e/scheduling.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../src/api/index.js';
import { Home, jobYaml, until } from '../e2e/harness.js';

const home = new Home('500ms', { runtime: 'simulated' });
beforeAll(() => void Object.assign(home.env, { JOBCTL_NODE_CPU: '2' }));
afterAll(() => home.cleanup());

/** A Job of `n` pods asking one CPU each, on a node of two. */
const cpuJob = (name: string, n: number, spec = '', seconds = 30) =>
  jobYaml(name, ['sleep', String(seconds)], {
    spec: `  completions: ${n}\n  parallelism: ${n}\n${spec}`,
  }).replace('command:', 'resources: {requests: {cpu: 1}, limits: {cpu: 1, memory: 32Mi}}\n        command:');
const bound = (p: Pod) => Boolean(p.spec.nodeName);

describe('a Job whose pods wait for the node', () => {
  it('counts its waiting pods as active', async () => {
    await home.ok(['apply', '-f', '-'], cpuJob('waits', 3));
    const pods = await until('three pods, one waiting', async () => {
      const ps = await home.podsOf('waits');
      return ps.length === 3 && ps.filter(bound).length === 2 && ps;
    });
    expect(pods.filter((p) => !bound(p))[0].status?.phase).toBe('Pending');
    await until('the status', async () => (await home.getJob('waits')).status?.active === 3);
  });

  it('suspending deletes the waiting pods too, and counts no failure', async () => {
    await home.ok(['patch', 'job', 'waits', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    await until('no pods', async () => (await home.podsOf('waits')).length === 0);
    const job: Job = await home.getJob('waits');
    expect(job.status?.failed ?? 0).toBe(0);
    expect(job.status?.conditions?.find((c) => c.type === 'Suspended')?.status).toBe('True');
    await home.ok(['delete', 'job', 'waits']);
  });

  it('runs out its activeDeadlineSeconds while its pods wait', async () => {
    // Three CPUs asked of a node of two: the pod never fits, the deadline still runs.
    const yaml = jobYaml('late', ['true'], { spec: '  activeDeadlineSeconds: 2\n' }).replace(
      'command:',
      'resources: {requests: {cpu: 3}, limits: {cpu: 3, memory: 32Mi}}\n        command:',
    );
    await home.ok(['apply', '-f', '-'], yaml);
    await home.ok(['wait', '--for=condition=failed', 'job/late', '--timeout=30s']);
    const job: Job = await home.getJob('late');
    expect(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('DeadlineExceeded');
    await until('its pod gone', async () => (await home.podsOf('late')).length === 0);
  });
});
