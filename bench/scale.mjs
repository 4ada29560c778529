// The scale benchmark, on the simulated runtime (no engine): does the server's cost per pod stay
// flat as a Job grows? An Indexed Job of 1,000 completions, then one of 100,000 (10,000 with
// --quick), both at parallelism 500, whose pods run 50-500 ms. Prints a table, then as the last
// line a JSON object of the figures.
//   npm run bench -- --scale            1k and 100k
//   npm run bench -- --scale --quick    1k and 10k, in under two minutes
import { readFileSync, rmSync } from 'node:fs';
import { BenchHome } from './home.mjs';

const QUICK = process.argv.includes('--quick');
const BIG = QUICK ? 10_000 : 100_000;
const SMALL = 1000;
const PARALLELISM = 500;
/** The pods' durations, uniform in this range: their mean sets the ideal run time. */
const MIN_MS = 50;
const MAX_MS = 500;
const TICKS_PER_SECOND = 100;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m) => process.stderr.write(`bench: ${m}\n`);

function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

class Home extends BenchHome {
  constructor() {
    // The node takes all 500 at once (a kubelet's default is 110 pods): this measures the server's
    // cost per pod, not the node's pod limit.
    super('jobctl-scale-', {
      JOBCTL_RUNTIME: 'simulated',
      DOCKER_HOST: 'unix:///nonexistent',
      JOBCTL_NODE_PODS: '1000',
    });
  }
  async cleanup() {
    await this.jobctl(['server', 'stop']);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const manifest = (name, completions) => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  completionMode: Indexed
  completions: ${completions}
  parallelism: ${PARALLELISM}
  backoffLimit: 0
  template:
    metadata:
      annotations: {sim.jobctl.io/duration: ${MIN_MS}ms-${MAX_MS}ms}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.35, command: ["true"]}]
`;

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** One Job of `count` pods in its own server: CPU per pod, peak RSS, run time; then reads with every pod present. */
async function scenario(count, reads) {
  const home = new Home();
  try {
    await home.ok(['get', 'jobs']);
    const pid = home.pid();
    const cpu0 = cpuMs(pid);
    let peak = rssMb(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
    const started = performance.now();
    await home.ok(['apply', '-f', '-'], manifest('scale', count));
    await home.ok(['wait', '--for=condition=complete', 'job/scale', '--timeout=24h']);
    const runMs = performance.now() - started;
    clearInterval(sampler);
    const cpu = cpuMs(pid) - cpu0;
    const ideal = (count * ((MIN_MS + MAX_MS) / 2)) / PARALLELISM;
    const result = { count, cpuMsPerPod: cpu / count, peakRssMb: peak, runMs, efficiency: ideal / runMs };
    if (reads) {
      await sleep(1000);
      const times = async (args) => {
        const t = [];
        for (let i = 0; i < 3; i++) t.push(await timed(() => home.ok(args)));
        return median(t);
      };
      result.getJobMs = await times(['get', 'job', 'scale']);
      result.describeJobMs = await times(['describe', 'job/scale']);
    }
    return result;
  } finally {
    await home.cleanup();
  }
}

log(`scale: ${SMALL} pods at parallelism ${PARALLELISM}, simulated runtime`);
const small = await scenario(SMALL, false);
log(`scale: ${BIG} pods at parallelism ${PARALLELISM}, simulated runtime`);
const big = await scenario(BIG, true);
const k = (n) => `${n / 1000}k`;
const rows = [
  [`CPU per pod, ${k(SMALL)}`, `${small.cpuMsPerPod.toFixed(2)} ms`],
  [`CPU per pod, ${k(BIG)}`, `${big.cpuMsPerPod.toFixed(2)} ms`],
  ['growth', `${(big.cpuMsPerPod / small.cpuMsPerPod).toFixed(2)}`],
  [`peak RSS, ${k(BIG)}`, `${big.peakRssMb.toFixed(0)} MB`],
  [`get job, ${k(BIG)} pods present`, `${big.getJobMs.toFixed(0)} ms`],
  [`describe job, ${k(BIG)} pods present`, `${big.describeJobMs.toFixed(0)} ms`],
  [`run time, ${k(BIG)}`, `${(big.runMs / 1000).toFixed(1)} s (efficiency ${big.efficiency.toFixed(2)})`],
];
const w = Math.max(...rows.map((r) => r[0].length));
for (const r of rows) console.log(`${r[0].padEnd(w)}   ${r[1]}`);
const suffix = k(BIG);
console.log(
  JSON.stringify({
    scaleCpuMsPerPod1k: Number(small.cpuMsPerPod.toFixed(3)),
    [`scaleCpuMsPerPod${suffix}`]: Number(big.cpuMsPerPod.toFixed(3)),
    scaleGrowth: Number((big.cpuMsPerPod / small.cpuMsPerPod).toFixed(3)),
    [`scalePeakRssMb${suffix}`]: Math.round(big.peakRssMb),
    [`getJob${suffix}Ms`]: Math.round(big.getJobMs),
    [`describeJob${suffix}Ms`]: Math.round(big.describeJobMs),
    scaleEfficiency: Number(big.efficiency.toFixed(3)),
  }),
);
