// The machine is a node (issue 16), on the real engine: pods are bound only when they fit what the
// node has left (2 allocatable CPUs here, JOBCTL_NODE_CPU), its labels and taints, and its pod
// count; the rest wait Pending with kube-scheduler's words and run as room frees up. kubectl,
// against the same server, is the oracle for `get nodes` and `describe node`.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod } from '../../src/api/index.js';
import { Home, jobYaml, sleep, until, type List } from './harness.js';
import { findKubectl } from './kubectl-harness.js';

const home = new Home('500ms');
let node = '';
beforeAll(async () => {
  Object.assign(home.env, { JOBCTL_NODE_CPU: '2', JOBCTL_NODE_PODS: '3' });
  node = (await home.ok(['get', 'nodes', '-o', 'name'])).trim().replace('node/', '');
});
afterAll(() => home.cleanup());

const INSUFFICIENT_CPU =
  '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..';
const NO_MATCH =
  "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..";

const apply = (yaml: string) => home.jobctl(['apply', '-f', '-'], { stdin: yaml });
const pods = async (job: string) => home.podsOf(job);
/** Bound to the node and not finished: what takes room there. */
const onNode = (ps: Pod[]) =>
  ps.filter((p) => p.spec.nodeName && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
const scheduled = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');
const eventsOf = async (pod: string) =>
  (await home.json<List<Event>>(['get', 'events', '--field-selector', `involvedObject.name=${pod}`])).items;

describe('the node', () => {
  it('is the machine, with its allocatable as set, as kubectl shows it', async () => {
    const kubeconfig = join(home.dir, 'kubeconfig');
    writeFileSync(kubeconfig, await home.ok(['kubeconfig']));
    const kubectl = async (args: string[]) =>
      (await promisify(execFile)(findKubectl(), ['--kubeconfig', kubeconfig, ...args])).stdout;
    const ages = (s: string) => s.replace(/\b\d+s\b/g, 'T');
    expect(ages(await home.ok(['get', 'nodes', '-o', 'wide']))).toBe(
      ages(await kubectl(['get', 'nodes', '-o', 'wide'])),
    );
    const described = await home.ok(['describe', 'node', node]);
    expect(ages(described)).toBe(ages(await kubectl(['describe', 'node', node])));
    expect(described).toMatch(
      /^Allocatable:\n {2}cpu: +2\n {2}ephemeral-storage: +\d+\n {2}memory: +\d+Ki\n {2}pods: +3$/m,
    );
    expect(described).toMatch(new RegExp(`^ +kubernetes.io/hostname=${node}$`, 'm'));
  });
});

describe('scheduling', () => {
  it('six pods asking one CPU each run two at a time on two CPUs; the others wait, saying why', async () => {
    const yaml = jobYaml('six', ['sh', '-c', 'sleep 1'], {
      spec: '  completions: 6\n  parallelism: 6\n',
      pod: '      terminationGracePeriodSeconds: 1\n',
    }).replace('command:', 'resources: {requests: {cpu: 1}, limits: {cpu: 1, memory: 32Mi}}\n        command:');
    expect((await apply(yaml)).code).toBe(0);
    let most = 0;
    let waited: Pod | undefined;
    const seen = await until(
      'the job to complete',
      async () => {
        const all = await pods('six');
        most = Math.max(most, onNode(all).length);
        waited ??= all.find((p) => scheduled(p)?.status === 'False');
        const job = await home.json<{ status: { succeeded?: number } }>(['get', 'job', 'six']);
        return job.status.succeeded === 6 && all;
      },
      120_000,
      100,
    );
    expect(most).toBe(2);
    expect(seen).toHaveLength(6);
    // One that waited said so as Kubernetes does, on the pod and in an event, then ran.
    expect(waited).toBeDefined();
    expect(scheduled(waited!)).toMatchObject({ reason: 'Unschedulable', message: INSUFFICIENT_CPU });
    const events = await eventsOf(waited!.metadata.name ?? '');
    expect(events.map((e) => `${e.type} ${e.reason} ${e.source.component}: ${e.message}`)).toEqual(
      expect.arrayContaining([
        `Warning FailedScheduling default-scheduler: ${INSUFFICIENT_CPU}`,
        `Normal Scheduled default-scheduler: Successfully assigned default/${waited!.metadata.name} to ${node}`,
      ]),
    );
  });

  it('a nodeSelector no label matches keeps the pod Pending until jobctl label node adds the label', async () => {
    const yaml = jobYaml('picky', ['true'], { pod: '      nodeSelector: {disk: ssd}\n' });
    const applied = await apply(yaml);
    expect(applied.stderr).toContain(
      `Warning: spec.template.spec: its pods can never be scheduled on node "${node}": its labels match neither the nodeSelector nor the required node affinity; label the node: jobctl label node ${node} disk=ssd\n`,
    );
    const [pod] = await until('the pod', async () => {
      const ps = await pods('picky');
      return ps.length === 1 && scheduled(ps[0])?.status === 'False' && ps;
    });
    expect(scheduled(pod)?.message).toBe(NO_MATCH);
    expect(pod.status?.phase).toBe('Pending');
    await sleep(1000);
    expect((await pods('picky'))[0].spec.nodeName).toBeUndefined();
    expect(await home.ok(['label', 'node', node, 'disk=ssd'])).toBe(`node/${node} labeled\n`);
    await home.ok(['wait', '--for=condition=complete', 'job/picky', '--timeout=60s']);
    expect(await home.ok(['label', 'node', node, 'disk-'])).toBe(`node/${node} unlabeled\n`);
  });

  it('an untolerated taint keeps pods off until it is removed; a toleration lets them on', async () => {
    expect(await home.ok(['taint', 'node', node, 'dedicated=gpu:NoSchedule'])).toBe(`node/${node} tainted\n`);
    expect((await apply(jobYaml('kept-off', ['true']))).stderr).toContain(
      `it has the taint dedicated=gpu:NoSchedule; add a toleration, or remove the taint: jobctl taint node ${node} dedicated:NoSchedule-`,
    );
    const tolerant = jobYaml('tolerant', ['true'], {
      pod: '      tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]\n',
    });
    expect((await apply(tolerant)).code).toBe(0);
    await home.ok(['wait', '--for=condition=complete', 'job/tolerant', '--timeout=60s']);
    const [off] = await pods('kept-off');
    expect(scheduled(off)?.message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
    expect(await home.ok(['taint', 'node', node, 'dedicated-'])).toBe(`node/${node} untainted\n`);
    await home.ok(['wait', '--for=condition=complete', 'job/kept-off', '--timeout=60s']);
  });

  it('a pod larger than the node never starts; the pod limit holds', async () => {
    const big = jobYaml('too-big', ['true']).replace(
      'command:',
      'resources: {requests: {cpu: 3}, limits: {cpu: 3, memory: 32Mi}}\n        command:',
    );
    expect((await apply(big)).stderr).toContain(
      `Warning: spec.template.spec: its pods can never be scheduled on node "${node}": cpu: 3 requested, 2 allocatable; lower the requests`,
    );
    // Four pods asking nothing, on a node that takes three (JOBCTL_NODE_PODS=3): one waits.
    const many = jobYaml('many', ['sleep', '2'], { spec: '  completions: 4\n  parallelism: 4\n' });
    expect((await apply(many)).code).toBe(0);
    let most = 0;
    await until(
      'many to complete',
      async () => {
        most = Math.max(most, onNode(await pods('many')).length);
        const job = await home.json<{ status: { succeeded?: number } }>(['get', 'job', 'many']);
        return job.status.succeeded === 4;
      },
      120_000,
      100,
    );
    expect(most).toBe(3);
    const [pod] = await pods('too-big');
    expect(pod.spec.nodeName).toBeUndefined();
    expect(scheduled(pod)?.message).toBe(INSUFFICIENT_CPU);
    expect(await home.containers(`io.kubernetes.pod.name=${pod.metadata.name}`)).toEqual([]);
    // Deleting a pod that never ran is immediate; the Job makes another, which waits too.
    expect(await home.ok(['delete', 'job', 'too-big'])).toBe('job.batch "too-big" deleted\n');
  });
});
