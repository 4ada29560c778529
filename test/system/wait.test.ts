// `wait` beyond kubectl (issue 18, item 3), on the simulated runtime: several --for flags mean
// any of them; --for=finished returns when the Job is Complete (exit 0) or Failed (exit 1, its
// reason and message on stderr), so a CI step is one command; in a pipe nothing else is printed.
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/index.js';
import { progress } from '../../src/cli/wait.js';
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
});
