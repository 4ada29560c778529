#!/usr/bin/env node
// jobctl's benchmarks, each beside a raw-Docker baseline doing the same containers on the same
// engine in the same run. Prints a table, then as the last line a JSON object of the figures.
//   npm run bench             the full run (targets in issue 6)
//   npm run bench -- --quick  smaller versions, a couple of minutes; asserts nothing
//   npm run bench -- --scale  the scale benchmark on the simulated runtime (bench/scale.mjs)
import { spawn, execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { BenchHome, BIN } from './home.mjs';

// The scale benchmark (simulated runtime) is its own run.
if (process.argv.includes('--scale')) {
  await import('./scale.mjs');
  process.exit(0);
}

const run = promisify(execFile);
const QUICK = process.argv.includes('--quick');
const SOCKET = (process.env.DOCKER_HOST ?? '').startsWith('unix://')
  ? process.env.DOCKER_HOST.slice(7)
  : '/var/run/docker.sock';
const TICKS_PER_SECOND = 100;
const IMAGE = 'busybox:1.35';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m) => process.stderr.write(`bench: ${m}\n`);

// ---- the raw baseline: the Docker Engine API, directly ----
function docker(method, path, body) {
  return new Promise((res, rej) => {
    const data = body ? Buffer.from(JSON.stringify(body)) : undefined;
    const req = request(
      {
        socketPath: SOCKET,
        method,
        path: `/v1.41${path}`,
        headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {},
      },
      (r) => {
        let t = '';
        r.on('data', (d) => (t += d));
        r.on('end', () =>
          r.statusCode >= 400 ? rej(new Error(`${method} ${path}: ${t}`)) : res(t ? JSON.parse(t) : undefined),
        );
      },
    );
    req.on('error', rej);
    if (data) req.write(data);
    req.end();
  });
}

async function rawContainers(count, parallel, cmd) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const { Id } = await docker('POST', '/containers/create', {
        Image: IMAGE,
        Cmd: cmd,
        HostConfig: { NetworkMode: 'none' },
        Labels: { 'io.jobctl.bench': 'raw' },
      });
      await docker('POST', `/containers/${Id}/start`);
      await docker('POST', `/containers/${Id}/wait`);
      await docker('DELETE', `/containers/${Id}?force=true`);
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: parallel }, worker));
  return performance.now() - t;
}

// ---- jobctl ----
class Home extends BenchHome {
  /** Deletes jobs and waits until their pods are gone (the foreground cascade): the next scenario starts clean. */
  async deleteJobs(...names) {
    await this.ok(['delete', 'jobs', ...(names.length ? names : ['--all']), '--cascade=foreground', '--wait=true']);
  }
  instanceId() {
    const db = join(this.dir, 'state.db');
    if (!existsSync(db)) return undefined;
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return d.prepare("SELECT value FROM meta WHERE key = 'instanceId'").get()?.value;
    } finally {
      d.close();
    }
  }
  async cleanup() {
    await this.jobctl(['delete', 'jobs', '--all', '--cascade=foreground']);
    await this.jobctl(['server', 'stop']);
    // Whatever this run's server left (it was stopped mid-deletion, say), and the raw baseline's.
    const id = this.instanceId();
    for (const label of [id && `io.jobctl.instance=${id}`, 'io.jobctl.bench=raw'].filter(Boolean)) {
      const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${label}`]);
      const ids = stdout.split('\n').filter(Boolean);
      for (let i = 0; i < ids.length; i += 200) await run('docker', ['rm', '-f', ...ids.slice(i, i + 200)]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const job = (name, completions, parallelism, cmd) => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  completions: ${completions}
  parallelism: ${parallelism}
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "${IMAGE}", command: ${JSON.stringify(cmd)}}]
`;

function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The median wall time of `runs` calls of `fn`, made one after another. */
async function medianOf(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await timed(fn));
  return median(times);
}

/**
 * Raw, ours, ours, raw (once each in quick mode): the host's load drifts over the minutes this
 * takes, and the mirrored order cancels a steady drift out of the ratio of the totals.
 */
async function throughput(home, count, parallel) {
  const raws = [];
  const ours = [];
  const runOurs = async (i) => {
    ours.push(
      await timed(async () => {
        await home.ok(['apply', '-f', '-'], job(`tput${i}`, count, parallel, ['true']));
        await home.ok(['wait', '--for=condition=complete', `job/tput${i}`, '--timeout=1200s']);
      }),
    );
    await home.deleteJobs(`tput${i}`);
  };
  raws.push(await rawContainers(count, parallel, ['true']));
  await runOurs(0);
  if (!QUICK) {
    await runOurs(1);
    raws.push(await rawContainers(count, parallel, ['true']));
  }
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  return { raw: sum(raws) / raws.length, ours: sum(ours) / ours.length, ratio: sum(ours) / sum(raws) };
}

async function latency(home, runs, cold) {
  const raws = [];
  const ours = [];
  for (let i = 0; i < runs; i++) {
    raws.push(await timed(() => run('docker', ['run', '--rm', '--network', 'none', IMAGE, 'echo', 'hi'])));
    if (cold) await home.jobctl(['server', 'stop']);
    ours.push(
      await timed(async () => {
        await home.ok(['apply', '-f', '-'], job(`lat${i}`, 1, 1, ['echo', 'hi']));
        await home.ok(['wait', '--for=condition=complete', `job/lat${i}`, '--timeout=60s']);
      }),
    );
  }
  await home.deleteJobs();
  return { raw: median(raws), ours: median(ours), overhead: median(ours) - median(raws) };
}

async function scale(home, count, parallel) {
  await home.ok(['get', 'jobs']);
  const pid = home.pid();
  const cpu0 = cpuMs(pid);
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  // A watcher: how far behind the store its rows arrive.
  const watcher = spawn(BIN, ['get', 'pods', '-w', '--no-headers', '-l', 'job-name=scale'], { env: home.env });
  let lastRowAt = 0;
  watcher.stdout.on('data', () => (lastRowAt = performance.now()));
  await home.ok(['apply', '-f', '-'], job('scale', count, parallel, ['true']));
  await home.ok(['wait', '--for=condition=complete', 'job/scale', '--timeout=3600s']);
  const doneAt = performance.now();
  await sleep(3000);
  watcher.kill('SIGINT');
  clearInterval(sampler);
  const cpu = cpuMs(pid) - cpu0;
  // One at a time: three at once on two cores would measure their contention, not a user's wait.
  const getPods = await medianOf(5, () => home.ok(['get', 'pods', '-l', 'job-name=scale']));
  const describe = await medianOf(5, () => home.ok(['describe', 'job/scale']));
  return {
    peakRssMb: peak,
    cpuMsPerPod: cpu / count,
    getPodsMs: getPods,
    describeMs: describe,
    watcherLagMs: Math.max(0, lastRowAt - doneAt),
  };
}

/**
 * The server's CPU with nothing to do. First while it settles after the scale scenario: once,
 * V8's memory reducer collects that scenario's garbage and returns the memory (40-100 ms of CPU),
 * when it judges the server idle: 10 s after the last request in some runs, more than 30 s in
 * others, and at the latest when its watchdog fires, 100 s after the last full collection. The
 * settling lasts past that and its CPU is reported. Then over `seconds`: what an idle server costs.
 */
async function idle(home, settleSeconds, seconds) {
  await home.ok(['get', 'jobs']);
  const pid = home.pid();
  const c0 = cpuMs(pid);
  await sleep(settleSeconds * 1000);
  const c1 = cpuMs(pid);
  await sleep(seconds * 1000);
  return { percent: ((cpuMs(pid) - c1) / (seconds * 1000)) * 100, settleMs: c1 - c0 };
}

const home = new Home();
const results = {};
try {
  await run('docker', ['image', 'inspect', IMAGE]);
  log(`throughput (${QUICK ? 40 : 200} pods, parallelism 8)`);
  const t = await throughput(home, QUICK ? 40 : 200, 8);
  log('warm latency');
  await home.ok(['get', 'jobs']);
  const warm = await latency(home, QUICK ? 3 : 7, false);
  log('cold latency');
  const cold = await latency(home, QUICK ? 3 : 5, true);
  log(`scale (${QUICK ? 100 : 1000} pods, parallelism 20)`);
  const s = await scale(home, QUICK ? 100 : 1000, 20);
  log('idle');
  const settle = QUICK ? 2 : 120;
  const i = await idle(home, settle, QUICK ? 5 : 30);
  const rows = [
    [
      'throughput',
      `${(t.ours / 1000).toFixed(1)} s vs raw ${(t.raw / 1000).toFixed(1)} s`,
      `ratio ${t.ratio.toFixed(2)}`,
    ],
    [
      'warm latency',
      `${warm.ours.toFixed(0)} ms vs docker run ${warm.raw.toFixed(0)} ms`,
      `overhead ${warm.overhead.toFixed(0)} ms`,
    ],
    [
      'cold latency',
      `${cold.ours.toFixed(0)} ms vs docker run ${cold.raw.toFixed(0)} ms`,
      `overhead ${cold.overhead.toFixed(0)} ms`,
    ],
    ['scale: peak RSS', `${s.peakRssMb.toFixed(0)} MB`, ''],
    ['scale: CPU per pod', `${s.cpuMsPerPod.toFixed(1)} ms`, ''],
    ['scale: get pods', `${s.getPodsMs.toFixed(0)} ms`, ''],
    ['scale: describe job', `${s.describeMs.toFixed(0)} ms`, ''],
    ['scale: watcher lag', `${s.watcherLagMs.toFixed(0)} ms`, ''],
    [`idle: the first ${settle} s (settling)`, `${i.settleMs.toFixed(0)} ms of CPU`, ''],
    [`idle: the ${QUICK ? 5 : 30} s after`, `${i.percent.toFixed(3)} % of a core`, ''],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  const w2 = Math.max(...rows.map((r) => r[1].length));
  console.log(`${'SCENARIO'.padEnd(w)}   ${'MEASURED'.padEnd(w2)}   AGAINST RAW DOCKER`);
  for (const r of rows) console.log(`${r[0].padEnd(w)}   ${r[1].padEnd(w2)}   ${r[2]}`);
  Object.assign(results, {
    quick: QUICK,
    throughputRatio: Number(t.ratio.toFixed(3)),
    warmLatencyOverheadMs: Math.round(warm.overhead),
    coldLatencyOverheadMs: Math.round(cold.overhead),
    serverPeakRssMb: Math.round(s.peakRssMb),
    serverCpuMsPerPod: Number(s.cpuMsPerPod.toFixed(2)),
    getPods1000Ms: QUICK ? null : Math.round(s.getPodsMs),
    describeJob1000Ms: QUICK ? null : Math.round(s.describeMs),
    watcherLagMs: Math.round(s.watcherLagMs),
    idleCpuPercent: Number(i.percent.toFixed(3)),
    settleCpuMs: Math.round(i.settleMs),
  });
} finally {
  await home.cleanup();
}
console.log(JSON.stringify(results));
