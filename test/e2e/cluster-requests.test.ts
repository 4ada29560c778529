// jobctl against a cluster sends what kubectl sends (issue 15): for each verb, kubectl 1.32 and
// jobctl run with the same kubeconfig against a stand-in cluster that records every request, from
// the same starting state, and must send the same methods, paths, queries, credentials and SNI,
// and print the same. Runs on the real engine.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, until } from './harness.js';
import { findKubectl } from './kubectl-harness.js';
import { StandInCluster, type Audited } from './stand-in-cluster.js';

const lab = new StandInCluster();
const { cluster, laptop, config } = lab;
beforeAll(() => lab.start());
afterAll(() => lab.cleanup());

const manifest = (labels: string, name = 'same', cpu = '500m') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.35
        command: ["sh", "-c", "echo '<same & done>'"]
        resources: {limits: {cpu: ${cpu}, memory: 64Mi}}
`;
const v1 = join(laptop.dir, 'same.yaml');
const v2 = join(laptop.dir, 'same-v2.yaml');
const loose = join(laptop.dir, 'loose.yaml');
const args = (verb: string[]) => ['--kubeconfig', config, '--context', 'named', ...verb];
const onCluster = (verb: string[]) => cluster.ok([...verb, '-n', 'lab']);

/**
 * A request as compared: what is random made equal (a pod's name suffix, revisions, the random
 * length of a reflector's watch, the order kubectl's Go map gives a field selector's terms).
 */
function shape(r: Audited): string {
  const q = new URLSearchParams(r.query);
  const fields = q.get('fieldSelector');
  if (fields) q.set('fieldSelector', fields.split(',').sort().join(','));
  const rv = q.get('resourceVersion');
  if (rv && rv !== '0') q.set('resourceVersion', 'N');
  const timeout = Number(q.get('timeoutSeconds') ?? 300);
  if (q.has('timeoutSeconds')) q.set('timeoutSeconds', timeout >= 300 && timeout < 600 ? '5-10m' : String(timeout));
  const path = r.path.replace(/(same-)[a-z0-9]{5}\b/, '$1X');
  return `${r.method} ${path}${q.size ? `?${q}` : ''} ${r.auth} ${r.sni}`;
}
/** Output as compared: ages and durations move on between the two runs. */
const text = (s: string) => s.replace(/\b\d+(m\d+)?s\b|\b\d+m\b/g, 'T');

/** Runs `verb` with kubectl, then with jobctl, each after `setup`; both must send and print alike. */
async function both(verb: string[], setup: () => Promise<unknown> = async () => undefined): Promise<string[]> {
  await setup();
  let theirs = { code: 0, stdout: '', stderr: '' };
  const kubectl = await lab.recorded(async () => (theirs = await lab.kubectl(args(verb))));
  await setup();
  let ours = { code: 0, stdout: '', stderr: '' };
  const jobctl = await lab.recorded(async () => (ours = await laptop.jobctl(args(verb))));
  expect(jobctl.map(shape)).toEqual(kubectl.map(shape));
  expect({ code: ours.code, stdout: text(ours.stdout), stderr: ours.stderr }).toEqual({
    code: theirs.code,
    stdout: text(theirs.stdout),
    stderr: theirs.stderr,
  });
  return kubectl.map(shape);
}

/** `get -w` by each tool: what it asked until its watch was open. */
async function watching(verb: string[]): Promise<{ kubectl: string[]; jobctl: string[] }> {
  const run = async (bin: string, env: NodeJS.ProcessEnv) =>
    lab.recorded(async () => {
      const child = spawn(bin, args(verb), { env, stdio: 'ignore' });
      await until('the watch to open', async () => lab.seen().some((r) => r.query.includes('watch=true')));
      child.kill('SIGINT');
      await new Promise((r) => child.on('close', r));
    });
  return {
    kubectl: (await run(findKubectl(), { ...process.env, HOME: laptop.dir })).map(shape),
    jobctl: (await run(BIN, laptop.env)).map(shape),
  };
}

const annotation = async () =>
  (await cluster.json<{ metadata: { annotations: Record<string, string> } }>(['get', 'job', 'same', '-n', 'lab']))
    .metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];

describe('every verb sends what kubectl sends', () => {
  it('apply: new, unchanged, changed; the same last-applied configuration, byte for byte', async () => {
    writeFileSync(v1, manifest('tier: batch, app: same'));
    writeFileSync(v2, manifest('tier: batch, app: same, stage: two'));
    const gone = () => cluster.jobctl(['delete', 'job', 'same', '-n', 'lab', '--ignore-not-found']);
    await gone();
    const created = await lab.recorded(() => lab.kubectl(args(['apply', '-f', v1])));
    const theirs = await annotation();
    await gone();
    const ours = await lab.recorded(() => laptop.ok(args(['apply', '-f', v1])));
    expect(ours.map(shape)).toEqual(created.map(shape));
    expect(created.map(shape)).toEqual([
      'GET /apis/batch/v1/namespaces/lab/jobs/same certificate localhost',
      'GET /api/v1/namespaces/lab certificate localhost',
      'POST /apis/batch/v1/namespaces/lab/jobs?fieldManager=kubectl-client-side-apply&fieldValidation=Strict certificate localhost',
    ]);
    // Sorted keys, Go's escapes of < & >, an empty annotations map: either tool finds the other's
    // apply unchanged.
    expect(await annotation()).toBe(theirs);
    expect(theirs).toContain('"labels":{"app":"same","tier":"batch"}');
    expect(theirs).toContain('\\u003csame \\u0026 done\\u003e');
    expect(await both(['apply', '-f', v1])).toEqual([
      'GET /apis/batch/v1/namespaces/lab/jobs/same certificate localhost',
    ]);
    expect(await laptop.ok(args(['apply', '-f', v1]))).toBe('job.batch/same unchanged\n');
    const changed = await both(['apply', '-f', v2], () => onCluster(['apply', '-f', v1]));
    expect(changed[1]).toMatch(/^PATCH .*fieldManager=kubectl-client-side-apply&fieldValidation=Strict /);
    expect(await both(['apply', '-f', v2, '--dry-run=server'], () => onCluster(['apply', '-f', v1]))).toHaveLength(2);
    // `cpu: 0.5` is stored as 500m, as a cluster stores it: kubectl's patch sends 0.5 again on
    // every apply, and so does jobctl's, each saying `configured`.
    writeFileSync(loose, manifest('app: loose', 'loose', '0.5'));
    await onCluster(['apply', '-f', loose]);
    expect((await both(['apply', '-f', loose]))[1]).toMatch(/^PATCH /);
    expect(await laptop.ok(args(['describe', 'job', 'loose']))).toMatch(/^ {6}cpu: {5}500m$/m);
  });

  it('get, get -w, describe and logs', async () => {
    await onCluster(['wait', '--for=condition=complete', 'job/same', '--timeout=60s']);
    await both(['get', 'job', 'same']);
    await both(['get', 'jobs', '-l', 'app=same', '-o', 'name']);
    // One missing in a namespace that does not exist: kubectl looks the namespace up and says so.
    expect(await both(['get', 'job', 'same', '-n', 'ghost'])).toHaveLength(2);
    await both(['describe', 'job', 'same']);
    await both(['describe', 'job', 'sam']); // a prefix: every job whose name starts with it
    await both(['describe', 'pods', '-l', 'job-name=same']);
    expect(await both(['logs', 'job/same'])).toHaveLength(3);
    await both(['logs', 'job/nope']);
    // get -w: the same list and watch, but for allowWatchBookmarks, which jobctl asks for and
    // kubectl 1.32 does not: a bookmark lets jobctl's watch resume where it was after a dropped
    // stream instead of listing again (README, "jobctl and a cluster").
    for (const verb of [
      ['get', 'jobs', '-w'],
      ['get', 'job', 'same', '-w'],
    ]) {
      const seen = await watching(verb);
      expect(seen.jobctl.map((r) => r.replace('allowWatchBookmarks=true&', ''))).toEqual(seen.kubectl);
    }
  });

  it('wait and delete', async () => {
    const wait = await both(['wait', '--for=condition=complete', 'job/same', '--timeout=30s']);
    expect(wait.map((r) => r.split(' ')[1])).toEqual([
      '/apis/batch/v1/namespaces/lab/jobs/same',
      '/apis/batch/v1/namespaces/lab/jobs?fieldSelector=metadata.name%3Dsame&limit=500&resourceVersion=0',
      '/apis/batch/v1/namespaces/lab/jobs?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dsame&resourceVersion=N&timeoutSeconds=5-10m&watch=true',
    ]);
    await both(['wait', '--for=condition=failed', 'job/same', '--timeout=0']);
    expect(await both(['delete', 'job', 'same'], () => onCluster(['apply', '-f', v1]))).toEqual([
      'DELETE /apis/batch/v1/namespaces/lab/jobs/same certificate localhost',
      'GET /apis/batch/v1/namespaces/lab/jobs/same certificate localhost',
    ]);
    await both(['delete', 'job', 'same']);
    await both(['wait', '--for=delete', 'job/same', '--timeout=10s']);
  });
});
