// `wait` beyond kubectl (issue 18, item 3), on the simulated runtime: several --for flags mean
// any of them; --for=finished returns when the Job is Complete (exit 0) or Failed (exit 1, its
// reason and message on stderr), so a CI step is one command; in a pipe nothing else is printed.
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/index.js';
import { ApiClient, findServer, localEndpoint } from '../../src/client/index.js';
import { progress, retryText, WaitProgress } from '../../src/cli/wait-progress.js';
import { Home, jobYaml } from '../e2e/harness.js';

const home = new Home('50ms', { runtime: 'simulated' });
afterAll(() => home.cleanup());

describe('wait for either outcome', () => {
  it('--for=finished: a Job that completes is met, exit 0', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('fine', ['sleep', '0.2']));
    expect(await home.jobctl(['wait', '--for=finished', 'job/fine', '--timeout=30s'])).toEqual({
      code: 0,
      stdout: 'job.batch/fine condition met\n',
      stderr: '',
    });
  });

  it('--for=finished: a Job that fails exits 1 with its reason and message, nothing on stdout', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('broken', ['false'], { spec: '  backoffLimit: 1\n' }));
    expect(await home.jobctl(['wait', '--for=finished', 'job/broken', '--timeout=30s'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'job.batch/broken failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n',
    });
    // Already finished: the same at once, --timeout=0 too.
    expect((await home.jobctl(['wait', '--for=finished', 'job/broken', '--timeout=0'])).code).toBe(1);
  });

  it('several --for flags: any of them; an explicit condition met is success', async () => {
    const either = ['--for=condition=complete', '--for=condition=failed'];
    expect(await home.jobctl(['wait', ...either, 'job/broken', '--timeout=30s'])).toMatchObject({
      code: 0,
      stdout: 'job.batch/broken condition met\n',
    });
    expect(
      await home.jobctl(['wait', '--for=finished', '--for=condition=failed', 'job/broken', '--timeout=5s']),
    ).toMatchObject({ code: 0, stdout: 'job.batch/broken condition met\n' });
    // None met within the time: kubectl's timeout.
    await home.ok(['apply', '-f', '-'], jobYaml('slow', ['sleep', '30']));
    expect(await home.jobctl(['wait', ...either, 'job/slow', '--timeout=1s'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: timed out waiting for the condition on jobs/slow\n',
    });
    expect((await home.jobctl(['wait', '--for=finshed', 'job/slow'])).stderr).toBe(
      'error: unrecognized condition: "finshed"\n',
    );
    await home.ok(['delete', 'job', 'slow']);
  });

  it("the spinner's progress line", () => {
    const job = (status: Job['status'], completions?: number) =>
      ({ apiVersion: 'batch/v1', kind: 'Job', metadata: {}, spec: { completions, template: {} }, status }) as Job;
    expect(progress('x', job({ succeeded: 3, failed: 1, active: 2, ready: 1 }, 10))).toBe(
      'job/x: 3/10 succeeded, 1 failed, 2 running (1 ready)',
    );
    expect(progress('x', job({}))).toBe('job/x: 0/1 succeeded, 0 failed, 0 running');
  });

  it('next retry in Ns: the back-off of the next pod, counted down', async () => {
    expect(retryText([], 0)).toBe('');
    const at = new Date(12_000).toISOString();
    expect(retryText([{ kind: 'pod', at, backoffSeconds: 20 }], 400)).toBe(', next retry in 12s');
    expect(retryText([{ kind: 'pod', at, backoffSeconds: 20 }], 12_000)).toBe('');
    // On the server: a Job backing off 4 s after its first failure says so while it lasts.
    const slow = new Home('4s', { runtime: 'simulated' });
    try {
      await slow.ok(['apply', '-f', '-'], jobYaml('again', ['false'], { spec: '  backoffLimit: 3\n' }));
      const client = new ApiClient(localEndpoint((await findServer(slow.env))!));
      const said: string[] = [];
      const shown = new WaitProgress(client, 'default', 'again', (t) => said.push(t));
      try {
        const deadline = Date.now() + 15_000;
        while (!said.some((t) => /, next retry in [1-4]s$/.test(t)) && Date.now() < deadline) {
          shown.seen(await client.get<Job>('/apis/batch/v1/namespaces/default/jobs/again'));
          await new Promise((r) => setTimeout(r, 300));
        }
      } finally {
        shown.stop();
      }
      expect(said.find((t) => t.includes('next retry'))).toMatch(
        /^job\/again: 0\/1 succeeded, 1 failed, 0 running, next retry in [1-4]s$/,
      );
    } finally {
      await slow.cleanup();
    }
  });
});
