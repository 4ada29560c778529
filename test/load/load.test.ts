// Load: 50 concurrent clients doing get, watch and logs -f while a 500-pod Job runs at
// parallelism 10. No errors, no lost watch events, bounded server memory. `npm run load`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/index.js';
import { Home, sleep, until } from '../e2e/harness.js';

const PODS = Number(process.env.JOBCTL_LOAD_PODS ?? 500);
const CLIENTS = Number(process.env.JOBCTL_LOAD_CLIENTS ?? 50);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('load', () => {
  it(`${CLIENTS} clients while a ${PODS}-pod job runs at parallelism 10`, async () => {
    const home = new Home('500ms');
    try {
      await home.ok(['get', 'jobs']);
      const pid = JSON.parse(readFileSync(join(home.dir, 'server.json'), 'utf8')).pid as number;
      // Watchers first, so each must see every pod's final state.
      const watchers = Array.from({ length: Math.floor(CLIENTS / 2) }, () =>
        home.background(['get', 'pods', '-w', '-l', 'job-name=big', '--no-headers']),
      );
      await sleep(1500);
      await home.ok(
        ['apply', '-f', '-'],
        `apiVersion: batch/v1
kind: Job
metadata: {name: big}
spec:
  completions: ${PODS}
  parallelism: 10
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "busybox:1.35", command: ["sh", "-c", "echo item"]}]
`,
      );
      let errors = 0;
      let requests = 0;
      let peak = rssMb(pid);
      let done = false;
      const others = Array.from({ length: CLIENTS - watchers.length }, async (_, i) => {
        while (!done) {
          const args =
            i % 3 === 0
              ? ['get', 'pods', '-l', 'job-name=big']
              : i % 3 === 1
                ? ['get', 'jobs', 'big', '-o', 'json']
                : ['logs', 'job/big', '--all-pods', '--tail', '1'];
          const r = await home.jobctl(args, { timeoutMs: 120_000 });
          requests++;
          if (r.code !== 0) {
            errors++;
            console.error(args.join(' '), r.stderr);
          }
          await sleep(200);
        }
      });
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 500);
      const started = Date.now();
      await until(
        'the job to complete',
        async () => /Complete/.test((await home.jobctl(['get', 'job', 'big', '--no-headers'])).stdout),
        1_200_000,
        2000,
      );
      const seconds = (Date.now() - started) / 1000;
      done = true;
      await Promise.all(others);
      clearInterval(sampler);
      await sleep(2000);
      const pods = (await home.json<{ items: Pod[] }>(['get', 'pods', '-l', 'job-name=big'])).items;
      expect(pods.filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(PODS);
      // Every watcher saw each pod's final state.
      let missed = 0;
      for (const w of watchers) {
        w.child.kill('SIGINT');
        const completed = new Set(
          w
            .output()
            .split('\n')
            .filter((l) => /\sCompleted\s/.test(l))
            .map((l) => l.split(/\s+/)[0]),
        );
        missed += pods.filter((p) => !completed.has(p.metadata.name!)).length;
      }
      console.log(
        JSON.stringify({
          pods: PODS,
          clients: CLIENTS,
          requests,
          errors,
          missedWatchEvents: missed,
          seconds,
          serverPeakRssMb: Math.round(peak),
        }),
      );
      expect(errors).toBe(0);
      expect(missed).toBe(0);
      expect(peak).toBeLessThan(300);
    } finally {
      await home.cleanup();
    }
  }, 1_500_000);
});
