// Every attempt made visible (issue 18), on the real engine: `attempts` with what each failure
// counted against, every run's output kept until the Job is deleted (OnFailure restarts and
// deleted pods included) and read with `logs --attempt N | --all-attempts`, the per-Job cap, and
// the timeline as text and SVG.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AttemptList } from '../../src/api/index.js';
import { Home, jobYaml, sleep, until } from './harness.js';

const home = new Home('300ms');
afterAll(() => home.cleanup());

const attempts = (name: string) => home.json<AttemptList>(['attempts', `job/${name}`]);
const keptDirs = (h: Home, job: string) =>
  readdirSync(join(h.dir, 'logs')).filter((d) => d.startsWith(`default_${job}-`));

describe('every attempt, on the real engine', () => {
  it('a Never Job that fails: each pod an attempt, counted against backoffLimit, its output, -w, and the timeline', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('retry', ['sh', '-c', 'echo "hello from $(hostname)"; exit 3'], { spec: '  backoffLimit: 2\n' }),
    );
    const watch = home.background(['attempts', 'job/retry', '-w']);
    const failed = await home.jobctl(['wait', '--for=finished', 'job/retry', '--timeout=60s']);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('BackoffLimitExceeded') });
    const list = await attempts('retry');
    expect(list.items.map((a) => [a.attempt, a.restart, a.exitCode, a.reason, a.counted])).toEqual([
      [1, 0, 3, 'Error', 'backoffLimit'],
      [2, 0, 3, 'Error', 'backoffLimit'],
      [3, 0, 3, 'Error', 'backoffLimit'],
    ]);
    expect(new Set(list.items.map((a) => a.pod)).size).toBe(3);
    expect(list.job).toMatchObject({ name: 'retry', finished: { type: 'Failed', reason: 'BackoffLimitExceeded' } });
    expect(list.next).toEqual([]);

    // The table, as kubectl lays one out.
    const table = (await home.ok(['attempts', 'retry'])).trimEnd().split('\n');
    expect(table[0].split(/\s+/)).toEqual([
      'ATTEMPT',
      'POD',
      'CONTAINER',
      'RESTART',
      'STARTED',
      'FINISHED',
      'DURATION',
      'EXIT',
      'REASON',
      'COUNTED',
    ]);
    expect(table.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(list.items.map((a) => a.pod));

    // Each attempt's output, alone or all of them prefixed.
    expect(await home.ok(['logs', 'job/retry', '--attempt', '2'])).toBe(`hello from ${list.items[1].pod}\n`);
    expect(await home.ok(['logs', 'job/retry', '--all-attempts'])).toBe(
      list.items.map((a) => `[pod/${a.pod}/c attempt=${a.attempt}] hello from ${a.pod}\n`).join(''),
    );
    expect(await home.jobctl(['logs', 'job/retry', '--attempt', '9'])).toMatchObject({
      code: 1,
      stderr: 'error: job/retry has no attempt 9: it has 3 (jobctl attempts job/retry)\n',
    });
    // kubectl's --previous keeps its meaning: a Never pod has no previous run.
    expect((await home.jobctl(['logs', `pod/${list.items[0].pod}`, '--previous'])).stderr).toContain(
      'previous terminated container "c"',
    );

    // -w printed the attempts as they came, and the back-off while it lasted.
    await until('the watch to show all three', async () => watch.output().includes(list.items[2].pod));
    watch.child.kill('SIGINT');
    const watched = watch.output();
    expect(watched.match(/^ATTEMPT /gm)).toHaveLength(1);
    for (const a of list.items) expect(watched).toMatch(new RegExp(`^${a.attempt}\\s+${a.pod}\\s`, 'm'));
    expect(watched).toMatch(/^next pod (in \d+s|due now): \d failures?, backoff \d+s, backoffLimit 2$/m);

    // The timeline: one lane per pod, the back-off before each replacement, the finish.
    const text = await home.ok(['timeline', 'job/retry', '--width', '80']);
    expect(text).toMatch(/^job\/retry: Failed \(BackoffLimitExceeded\) after \d+s$/m);
    for (const a of list.items) expect(text).toMatch(new RegExp(`^${a.pod} +[ .]*x+`, 'm'));
    expect(text).toMatch(/\.+x/);
    const svg = await home.ok(['timeline', 'job/retry', '-o', 'svg']);
    expect(svg.startsWith("<svg xmlns='http://www.w3.org/2000/svg'")).toBe(true);
    expect(svg.match(/fill='#d6453d'><title>attempt \d/g)).toHaveLength(3);
  });

  it('OnFailure: every restart kept after the pod is deleted, across a server restart, until the Job is deleted', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('crashy', ['sh', '-c', 'echo "run $(cat /proc/sys/kernel/random/uuid)"; exit 4'], {
        spec: '  backoffLimit: 2\n',
        restartPolicy: 'OnFailure',
      }),
    );
    expect((await home.jobctl(['wait', '--for=finished', 'job/crashy', '--timeout=60s'])).code).toBe(1);
    await until('its pod to be deleted', async () => (await home.ok(['get', 'pods', '-l', 'job-name=crashy'])) === '');
    const list = await attempts('crashy');
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    expect(list.items.map((a) => a.restart)).toEqual(list.items.map((_, i) => i));
    expect(list.items.every((a) => a.podDeleted && a.exitCode === 4 && a.counted === 'backoffLimit')).toBe(true);
    const all = (await home.ok(['logs', 'job/crashy', '--all-attempts'])).trimEnd().split('\n');
    expect(all).toHaveLength(list.items.length);
    expect(new Set(all.map((l) => l.split('] ')[1])).size).toBe(list.items.length); // each run its own output
    expect(all[0]).toMatch(new RegExp(`^\\[pod/${list.items[0].pod}/c attempt=1\\] run [0-9a-f-]{36}$`));
    // The pod's own attempts, though it is gone.
    expect((await home.json<AttemptList>(['attempts', `pod/${list.items[0].pod}`])).items).toHaveLength(
      list.items.length,
    );

    // A server restart keeps them (they are files, written before the status that reports them).
    await home.ok(['server', 'stop']);
    expect((await attempts('crashy')).items).toEqual(list.items);

    await home.ok(['delete', 'job', 'crashy']);
    await until('its runs to go with it', async () => keptDirs(home, 'crashy').length === 0);
    expect(await home.jobctl(['attempts', 'job/crashy'])).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): jobs.batch "crashy" not found\n',
    });
    // The deleted Never Job's pods took theirs too.
    await home.ok(['delete', 'job', 'retry']);
    await until("the other Job's runs to go", async () => keptDirs(home, 'retry').length === 0);
  });

  it('past the per-Job cap the oldest runs go, saying so; the current and previous run stay', async () => {
    const capped = new Home('200ms');
    try {
      capped.env.JOBCTL_JOB_LOG_CAP = '3Ki';
      // Each run prints 2 KiB; five runs of one OnFailure pod.
      await capped.ok(
        ['apply', '-f', '-'],
        jobYaml('chatty', ['sh', '-c', 'head -c 2047 /dev/zero | tr "\\0" a; echo; exit 1'], {
          spec: '  backoffLimit: 4\n',
          restartPolicy: 'OnFailure',
        }),
      );
      expect((await capped.jobctl(['wait', '--for=finished', 'job/chatty', '--timeout=90s'])).code).toBe(1);
      const list = await capped.json<AttemptList>(['attempts', 'job/chatty']);
      const dropped = list.items.filter((a) => a.log.dropped);
      const kept = list.items.filter((a) => !a.log.dropped);
      expect(list.items.length).toBeGreaterThanOrEqual(5);
      // The oldest went, the newest two stayed.
      expect(dropped.map((a) => a.attempt)).toEqual(dropped.map((_, i) => i + 1));
      expect(kept.length).toBeGreaterThanOrEqual(2);
      // The bytes kept on disk: the 2 KiB line with its time and stream.
      expect(dropped[0].log.dropped).toMatchObject({ capBytes: 3072 });
      expect(dropped[0].log.dropped!.bytes).toBeGreaterThan(2048);
      expect(await capped.jobctl(['logs', 'job/chatty', '--attempt', '1'])).toMatchObject({
        code: 1,
        stderr: `error: attempt 1 of job/chatty: output dropped at the job's log cap (3.0 KiB per job, JOBCTL_JOB_LOG_CAP): 2.0 KiB\n`,
      });
      const all = (await capped.ok(['logs', 'job/chatty', '--all-attempts'])).trimEnd().split('\n');
      expect(all[0]).toBe(
        `[pod/${list.items[0].pod}/c attempt=1] (output dropped at the job's log cap (3.0 KiB per job, JOBCTL_JOB_LOG_CAP): 2.0 KiB)`,
      );
      expect(all.at(-1)).toBe(`[pod/${list.items[0].pod}/c attempt=${list.items.length}] ${'a'.repeat(2047)}`);
      // What the cap dropped is gone from the disk.
      const dir = join(capped.dir, 'logs', keptDirs(capped, 'chatty')[0], 'c');
      expect(existsSync(join(dir, '0.log'))).toBe(false);
      expect(existsSync(join(dir, '0.dropped'))).toBe(true);
    } finally {
      await sleep(0);
      await capped.cleanup();
    }
  });
});
