// The chaos run: a mix of jobs while the server is killed with SIGKILL at random moments; then
// every job must end exactly as its manifest dictates. Used by `npm run chaos` (full) and by a
// shorter variant inside the test suite.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Job, Pod } from '../../src/api/index.js';
import { Home, jobManifest, sleep, until } from '../e2e/harness.js';
import { rng } from '../helpers/rng.js';

const run = promisify(execFile);

export interface ChaosOptions {
  kills: number;
  seed: number;
  log?: (m: string) => void;
}

export interface ChaosReport {
  kills: number;
  jobs: Record<string, { condition: string; succeeded: number; failed: number; pods: number }>;
  problems: string[];
  integrity: string;
  seconds: number;
}

const job = (name: string, spec: string, restartPolicy: string, command: string, pod = '') =>
  jobManifest(
    name,
    spec,
    `      restartPolicy: ${restartPolicy}
      terminationGracePeriodSeconds: 1
${pod}      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", ${JSON.stringify(command)}]`,
  );

/** What each job must end as. */
const MIX: { name: string; yaml: string; expect: (j: Job, pods: Pod[]) => string | undefined }[] = [
  {
    name: 'fixed',
    yaml: job('fixed', '  completions: 6\n  parallelism: 2', 'Never', 'sleep 1; echo done'),
    expect: (j) =>
      j.status?.succeeded === 6 && has(j, 'Complete')
        ? undefined
        : `fixed: succeeded ${j.status?.succeeded}, want exactly 6 and Complete`,
  },
  {
    name: 'queue',
    yaml: job('queue', '  parallelism: 3', 'Never', 'sleep 2; echo item'),
    expect: (j) =>
      has(j, 'Complete') && (j.status?.succeeded ?? 0) >= 1 && (j.status?.succeeded ?? 0) <= 3
        ? undefined
        : `queue: succeeded ${j.status?.succeeded}, want 1..3 and Complete`,
  },
  {
    name: 'indexed',
    yaml: job(
      'indexed',
      '  completionMode: Indexed\n  completions: 4\n  parallelism: 2',
      'Never',
      'sleep 1; echo $JOB_COMPLETION_INDEX',
    ),
    expect: (j) =>
      has(j, 'Complete') && j.status?.completedIndexes === '0-3' && j.status?.succeeded === 4
        ? undefined
        : `indexed: ${j.status?.completedIndexes} / ${j.status?.succeeded}`,
  },
  {
    name: 'failnever',
    yaml: job('failnever', '  backoffLimit: 2', 'Never', 'sleep 0.5; exit 1'),
    expect: (j, pods) =>
      has(j, 'Failed', 'BackoffLimitExceeded') && j.status?.failed === 3 && pods.length === 3
        ? undefined
        : `failnever: failed ${j.status?.failed}, pods ${pods.length}, want 3 and 3`,
  },
  {
    name: 'failonfailure',
    yaml: job('failonfailure', '  backoffLimit: 2', 'OnFailure', 'sleep 0.5; exit 1'),
    expect: (j) =>
      has(j, 'Failed', 'BackoffLimitExceeded') && j.status?.failed === 1
        ? undefined
        : `failonfailure: failed ${j.status?.failed}, want 1 and Failed`,
  },
  {
    name: 'deadline',
    yaml: job('deadline', '  activeDeadlineSeconds: 4', 'Never', 'sleep 120'),
    expect: (j) => (has(j, 'Failed', 'DeadlineExceeded') ? undefined : 'deadline: not DeadlineExceeded'),
  },
  {
    name: 'ttl',
    yaml: job('ttl', '  ttlSecondsAfterFinished: 1', 'Never', 'echo bye'),
    expect: () => undefined, // checked by its absence
  },
];

function has(j: Job, type: string, reason?: string): boolean {
  return Boolean(
    j.status?.conditions?.some((c) => c.type === type && c.status === 'True' && (!reason || c.reason === reason)),
  );
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const r = rng(opts.seed);
  const log = opts.log ?? (() => undefined);
  const home = new Home('300ms');
  const problems: string[] = [];
  try {
    await home.ok(['apply', '-f', '-'], MIX.map((m) => m.yaml).join('---\n'));
    let kills = 0;
    while (kills < opts.kills) {
      await sleep(300 + r() * 2200);
      let pid: number;
      try {
        pid = JSON.parse(readFileSync(join(home.dir, 'server.json'), 'utf8')).pid;
      } catch {
        await home.jobctl(['get', 'jobs']);
        continue;
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      kills++;
      log(`kill ${kills}/${opts.kills} (pid ${pid})`);
      await sleep(r() * 1000);
      const g = await home.jobctl(['get', 'jobs', '--no-headers']);
      if (g.code !== 0) problems.push(`get jobs after kill ${kills}: ${g.stderr.trim()}`);
    }
    const names = MIX.map((m) => m.name).filter((n) => n !== 'ttl');
    await until(
      'every job to finish',
      async () => {
        const list = await home.json<{ items: Job[] }>(['get', 'jobs']);
        return names.every((n) =>
          list.items.some((j) => j.metadata.name === n && (has(j, 'Complete') || has(j, 'Failed'))),
        );
      },
      180_000,
      500,
    );
    await until('the ttl job to go', async () => (await home.jobctl(['get', 'job', 'ttl'])).code === 1, 30_000, 500);
    const report: ChaosReport = { kills, jobs: {}, problems, integrity: '', seconds: 0 };
    for (const m of MIX.filter((x) => x.name !== 'ttl')) {
      const j = await home.json<Job>(['get', 'job', m.name]);
      const pods = (await home.json<{ items: Pod[] }>(['get', 'pods', '-l', `job-name=${m.name}`])).items;
      const p = m.expect(j, pods);
      if (p) problems.push(p);
      const cond = j.status?.conditions?.find(
        (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      );
      report.jobs[m.name] = {
        condition: `${cond?.type}/${cond?.reason}`,
        succeeded: j.status?.succeeded ?? 0,
        failed: j.status?.failed ?? 0,
        pods: pods.length,
      };
      // Logs of every finished container are still readable while its pod exists.
      for (const pod of pods) {
        const s = pod.status?.containerStatuses?.[0];
        if (!s?.state.terminated || s.state.terminated.reason === 'ContainerVanished') continue;
        const l = await home.jobctl(['logs', `pod/${pod.metadata.name}`]);
        if (l.code !== 0) problems.push(`logs of ${pod.metadata.name}: ${l.stderr.trim()}`);
        else if (m.name === 'fixed' && pod.status?.phase === 'Succeeded' && l.stdout !== 'done\n')
          problems.push(`logs of ${pod.metadata.name}: ${JSON.stringify(l.stdout)}`);
      }
    }
    // No attempt ran twice, and no container outlives its pod.
    const ids = await home.containers();
    if (ids.length) {
      const { stdout } = await run('docker', [
        'inspect',
        '-f',
        '{{index .Config.Labels "io.kubernetes.pod.uid"}}/{{index .Config.Labels "io.kubernetes.container.name"}}/{{index .Config.Labels "io.kubernetes.container.restartCount"}}',
        ...ids,
      ]);
      const keys = stdout.split('\n').filter(Boolean);
      const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
      if (dup.length) problems.push(`attempts with two containers: ${dup.join(', ')}`);
      const uids = new Set((await home.json<{ items: Pod[] }>(['get', 'pods', '-A'])).items.map((p) => p.metadata.uid));
      const orphans = keys.filter((k) => !uids.has(k.split('/')[0]));
      if (orphans.length) problems.push(`containers without a pod: ${orphans.join(', ')}`);
    }
    await home.ok(['server', 'stop']);
    const db = new Database(join(home.dir, 'state.db'), { readonly: true });
    report.integrity = String(db.pragma('integrity_check', { simple: true }));
    db.close();
    if (report.integrity !== 'ok') problems.push(`integrity_check: ${report.integrity}`);
    report.seconds = Math.round((Date.now() - started) / 1000);
    return report;
  } finally {
    await home.cleanup();
  }
}
