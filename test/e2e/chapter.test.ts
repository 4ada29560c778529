// The chapter's manifests, run on the real engine.
import { afterAll, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../src/api/index.js';
import { FIXTURES, Home, type List } from './harness.js';

const home = new Home('1s');
afterAll(() => home.cleanup());

const POD_NAME = '[bcdfghjklmnpqrstvwxz2456789]{5}';
const ms = (t: string | undefined) => Date.parse(t ?? '');
const term = (p: Pod) => p.status!.containerStatuses![0].state.terminated!;

describe('chapter manifests on the real engine', () => {
  it('hello-world-job: runs, completes, shows its logs; re-apply is unchanged', async () => {
    const created = await home.jobctl(['apply', '-f', `${FIXTURES}/hello-world-job.yaml`]);
    expect(created.stdout).toBe('job.batch/hello-world-job created\n');
    expect(created.stderr).toContain('Warning: spec.ttlSecondsAfterFinished is not set');
    expect(await home.ok(['wait', '--for=condition=complete', 'job/hello-world-job', '--timeout=60s'])).toBe(
      'job.batch/hello-world-job condition met\n',
    );
    expect(await home.ok(['logs', 'job/hello-world-job'])).toBe('Hello, Jobs!\n');
    const pods = await home.ok(['get', 'pods', '-l', 'job-name=hello-world-job']);
    const lines = pods.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^hello-world-job-${POD_NAME}   0/1     Completed   0          \\d+s$`));
    const jobs = await home.ok(['get', 'job', 'hello-world-job']);
    const [header, row] = jobs.split('\n');
    expect(header).toBe('NAME              STATUS     COMPLETIONS   DURATION   AGE');
    expect(row).toMatch(new RegExp(`^hello-world-job   Complete   1/1 {11}\\d+s\\s+\\d+s$`));
    expect(await home.ok(['apply', '-f', `${FIXTURES}/hello-world-job.yaml`])).toBe(
      'job.batch/hello-world-job unchanged\n',
    );
  });

  it('failure-demo: four pods, failed 4, BackoffLimitExceeded, doubling gaps', async () => {
    await home.ok(['apply', '-f', `${FIXTURES}/failure-demo.yaml`]);
    await home.ok(['wait', '--for=condition=failed', 'job/failure-demo', '--timeout=90s']);
    const job = await home.json<Job>(['get', 'job', 'failure-demo']);
    expect(job.status?.failed).toBe(4);
    expect(job.status?.succeeded).toBeUndefined();
    expect(job.status?.completionTime).toBeUndefined();
    expect(job.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
    const pods = (await home.json<List<Pod>>(['get', 'pods', '-l', 'job-name=failure-demo'])).items;
    expect(pods).toHaveLength(4);
    const describe = await home.ok(['describe', 'job/failure-demo']);
    expect(describe).toMatch(
      /\n {2}Warning {2}BackoffLimitExceeded {2}\d+s\s+job-controller {2}Job has reached the specified backoff limit\n/,
    );
    expect(describe).toContain('Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 4 Failed\n');
    // Gaps between one attempt's end and the next one's start: ≈ 1s, 2s, 4s with a 1s base.
    const runs = pods
      .map((p) => ({ start: ms(term(p).startedAt), end: ms(term(p).finishedAt) }))
      .sort((a, b) => a.start - b.start);
    const gaps = runs.slice(1).map((r, i) => (r.start - runs[i].end) / 1000);
    [1, 2, 4].forEach((d, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(d * 0.9);
      expect(gaps[i]).toBeLessThan(d + 2.5);
    });
    expect(gaps[2]).toBeGreaterThan(gaps[1]);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
  });

  it('parallel-processor: ten completions, never more than two at once', async () => {
    await home.ok(['apply', '-f', `${FIXTURES}/parallel-processor.yaml`]);
    await home.ok(['wait', '--for=condition=complete', 'job/parallel-processor', '--timeout=120s']);
    const job = await home.json<Job>(['get', 'job', 'parallel-processor']);
    expect(job.status?.succeeded).toBe(10);
    const pods = (await home.json<List<Pod>>(['get', 'pods', '-l', 'job-name=parallel-processor'])).items;
    expect(pods).toHaveLength(10);
    // Maximum overlap of the containers' [start, end] intervals, from the engine's own times.
    const points = pods
      .flatMap((p) => [
        { t: ms(term(p).startedAt), d: 1 },
        { t: ms(term(p).finishedAt), d: -1 },
      ])
      .sort((a, b) => a.t - b.t || a.d - b.d);
    let running = 0;
    let max = 0;
    for (const p of points) max = Math.max(max, (running += p.d));
    expect(max).toBe(2);
    expect(await home.ok(['logs', `pod/${pods[0].metadata.name}`])).toMatch(
      /^processing item on parallel-processor-\w+\ndone\n$/,
    );
  });

  it('race: warns at apply and runs one pod', async () => {
    const r = await home.jobctl(['apply', '-f', `${FIXTURES}/race.yaml`]);
    expect(r.stderr).toContain('Warning: spec.parallelism: 5 is greater than spec.completions: 1');
    await home.ok(['wait', '--for=condition=complete', 'job/race', '--timeout=60s']);
    const pods = (await home.json<List<Pod>>(['get', 'pods', '-l', 'job-name=race'])).items;
    expect(pods).toHaveLength(1);
    expect(await home.ok(['logs', 'job/race'])).toBe('done\n');
  });
});
