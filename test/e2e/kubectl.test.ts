// The stock kubectl 1.32 against jobctl's server, on a real engine: TLS with jobctl's CA, the
// token, discovery, and a kubeconfig exported once that keeps working across restarts. kubectl is
// also the oracle for the merged kubeconfig and for printing; patches, apply, edit, replace and the
// Python client. The rest of kubectl's verbs: kubectl-verbs.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/index.js';
import { Home, jobYaml, until } from './harness.js';
import { Kubectl } from './kubectl-harness.js';

const home = new Home('500ms');
const kube = new Kubectl(home);
const kubeconfig = kube.kubeconfig;
afterAll(() => home.cleanup());

const OTHER = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: prod
  context:
    cluster: prod
    user: admin
current-context: prod
users:
- name: admin
  user:
    token: secret-of-prod
`;

const kubectl = (args: string[]) => kube.run(args);

/** Ages move between two commands: tables are compared as cells, with every age-like cell masked. */
const cells = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/ {2,}/).map((c) => (/^\d+(s|m\d*s?|h\d*m?|d\d*h?)$/.test(c) ? '<age>' : c)));

describe('kubectl 1.32 against jobctl', () => {
  it('kubeconfig --merge adds the jobctl entries and leaves the others as they were', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dirname(kubeconfig), { recursive: true });
    writeFileSync(kubeconfig, OTHER);
    home.env.KUBECONFIG = `${kubeconfig}:${join(home.dir, 'missing')}`;
    const r = await home.jobctl(['kubeconfig', '--merge']);
    expect(r.stderr).toBe(`Set kubectl context to "jobctl" in ${kubeconfig}\n`);
    const view = JSON.parse((await kubectl(['config', 'view', '--raw', '-o', 'json'])).stdout);
    expect(view['current-context']).toBe('jobctl');
    expect(view.contexts.map((c: { name: string }) => c.name).sort()).toEqual(['jobctl', 'prod']);
    expect(view.users.find((u: { name: string }) => u.name === 'admin').user.token).toBe('secret-of-prod');
    const mine = view.clusters.find((c: { name: string }) => c.name === 'jobctl').cluster;
    expect(mine.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(mine['certificate-authority-data'], 'base64').toString()).toBe(
      readFileSync(join(home.dir, 'ca.crt'), 'utf8'),
    );
    expect(view.contexts.find((c: { name: string }) => c.name === 'jobctl').context).toEqual({
      cluster: 'jobctl',
      user: 'jobctl',
      namespace: 'default',
    });
    // Merging again replaces, never duplicates.
    await home.ok(['kubeconfig', '--merge']);
    const again = JSON.parse((await kubectl(['config', 'view', '--raw', '-o', 'json'])).stdout);
    expect(again.clusters).toHaveLength(2);
    // `jobctl kubeconfig` prints the same entries.
    const printed = await home.ok(['kubeconfig']);
    expect(printed).toContain(`server: ${mine.server}`);
    expect(printed).toContain('current-context: jobctl');
  });

  it('discovery, get, delete over TLS with the token', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('kube', ['true']));
    await home.ok(['wait', '--for=condition=complete', 'job/kube', '--timeout=60s']);
    const resources = await kubectl(['api-resources', '--no-headers']);
    expect(resources.stderr).toBe('');
    expect(resources.stdout).toMatch(/^jobs\s+batch\/v1\s+true\s+Job$/m);
    expect(resources.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect((await kubectl(['get', 'jobs', '-o', 'name'])).stdout).toBe('job.batch/kube\n');
    const viaKubectl = JSON.parse((await kubectl(['get', 'job', 'kube', '-o', 'json'])).stdout) as Job;
    const viaJobctl = await home.json<Job>(['get', 'job', 'kube']);
    expect(viaKubectl).toEqual(viaJobctl);
    expect((await kubectl(['get', 'pods', '-l', 'job-name=kube', '-o', 'name'])).stdout).toMatch(/^pod\/kube-/);
    const del = await kubectl(['delete', 'job', 'kube']);
    expect(del).toMatchObject({ code: 0, stdout: 'job.batch "kube" deleted\n' });
    expect((await home.jobctl(['get', 'job', 'kube'])).code).toBe(1);
  });

  it('kubectl prints, from the server Tables, what jobctl prints (ages aside)', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('shown', ['true']));
    await home.ok(['apply', '-f', '-'], jobYaml('broken', ['sh', '-c', 'exit 3'], { spec: '  backoffLimit: 0\n' }));
    await home.ok(['wait', '--for=condition=complete', 'job/shown', '--timeout=60s']);
    await home.ok(['wait', '--for=condition=failed', 'job/broken', '--timeout=60s']);
    for (const args of [
      ['get', 'jobs'],
      ['get', 'jobs', '-o', 'wide'],
      ['get', 'pods'],
      ['get', 'pods', '-o', 'wide'],
      ['get', 'events'],
      ['get', 'events', '-o', 'wide'],
    ]) {
      const ours = await home.ok(args);
      const theirs = await kubectl(args);
      expect(theirs.stderr).toBe('');
      expect(cells(theirs.stdout)).toEqual(cells(ours));
    }
    expect((await kubectl(['get', 'jobs'])).stdout).toMatch(/^broken +Failed +0\/1 /m);
  });

  it('create -f and apply: OpenAPI says the server validates fields; unknown ones refused as kubectl words it', async () => {
    const file = join(home.dir, 'made.yaml');
    writeFileSync(file, jobYaml('made', ['true']));
    expect(await kubectl(['create', '-f', file])).toMatchObject({ code: 0, stdout: 'job.batch/made created\n' });
    const bad = join(home.dir, 'bad.yaml');
    writeFileSync(
      bad,
      jobYaml('bad', ['true']).replace('restartPolicy: Never', 'restartPolicy: Never\n      bogus: 1'),
    );
    const refused = await kubectl(['create', '-f', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Error from server (BadRequest): error when creating "${bad}": Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.template.spec.bogus"\n`,
    );
    expect((await home.jobctl(['get', 'job', 'bad'])).code).toBe(1);
    const warned = await kubectl(['create', '-f', bad, '--validate=warn']);
    expect(warned.stdout).toBe('job.batch/bad created\n');
    expect(warned.stderr).toContain('Warning: unknown field "spec.template.spec.bogus"\n');
    const applied = join(home.dir, 'applied.yaml');
    writeFileSync(applied, jobYaml('applied', ['true']));
    expect((await kubectl(['apply', '-f', applied])).stdout).toBe('job.batch/applied created\n');
    expect((await kubectl(['apply', '-f', applied])).stdout).toBe('job.batch/applied unchanged\n');
    const stored = await home.json<Job>(['get', 'job', 'applied']);
    expect(stored.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"applied"');
  });

  it('wait, logs, describe (as jobctl prints it), label, annotate, the three patch types, replace, -A, delete', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('verbs', ['sh', '-c', 'echo from the pod']));
    expect((await kubectl(['wait', '--for=condition=complete', 'job/verbs', '--timeout=60s'])).stdout).toBe(
      'job.batch/verbs condition met\n',
    );
    expect((await kubectl(['logs', 'job/verbs'])).stdout).toBe('from the pod\n');
    const age = (t: string) => t.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, '<age>').replace(/ +/g, ' ');
    for (const target of ['job/verbs']) {
      const described = await kubectl(['describe', target]);
      expect(described.stderr).toBe('');
      expect(age(described.stdout)).toBe(age(await home.ok(['describe', target])));
    }
    const pod = (await home.ok(['get', 'pods', '-l', 'job-name=verbs', '-o', 'name'])).trim();
    expect(age((await kubectl(['describe', pod])).stdout)).toBe(age(await home.ok(['describe', pod])));
    expect((await kubectl(['label', 'job', 'verbs', 'team=a'])).stdout).toBe('job.batch/verbs labeled\n');
    expect((await kubectl(['annotate', 'job', 'verbs', 'note=x'])).stdout).toBe('job.batch/verbs annotated\n');
    await kubectl(['patch', 'job', 'verbs', '--type', 'merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']);
    await kubectl([
      'patch',
      'job',
      'verbs',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/metadata/labels/j","value":"2"}]',
    ]);
    await kubectl(['patch', 'job', 'verbs', '-p', '{"metadata":{"labels":{"s":"3","team":null}}}']);
    const labels = (await home.json<Job>(['get', 'job', 'verbs'])).metadata.labels ?? {};
    expect([labels.team, labels.m, labels.j, labels.s]).toEqual([undefined, '1', '2', '3']);
    expect((await home.json<Job>(['get', 'job', 'verbs'])).metadata.annotations?.note).toBe('x');
    const yaml = join(home.dir, 'verbs.yaml');
    writeFileSync(yaml, (await kubectl(['get', 'job', 'verbs', '-o', 'yaml'])).stdout.replace('m: "1"', 'm: "9"'));
    expect((await kubectl(['replace', '-f', yaml])).stdout).toBe('job.batch/verbs replaced\n');
    expect((await home.json<Job>(['get', 'job', 'verbs'])).metadata.labels?.m).toBe('9');
    expect((await kubectl(['get', 'jobs', '-A'])).stdout).toMatch(/^default +verbs +Complete +1\/1 /m);
    expect((await kubectl(['delete', 'job', 'verbs', '--cascade=foreground'])).stdout).toBe(
      'job.batch "verbs" deleted\n',
    );
    await until(
      'the job and its pods to go',
      async () => (await home.jobctl(['get', 'pods', '-l', 'job-name=verbs', '-o', 'name'])).stdout === '',
    );
  });

  it('apply of a changed file removes what was dropped (strategic merge, three-way); edit with EDITOR', async () => {
    const file = join(home.dir, 'changing.yaml');
    const cm = (data: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {tier: a}\ndata:\n${data}`;
    const withLabel = jobYaml('changing', ['sleep', '30'], { spec: '  parallelism: 1\n' }).replace(
      'name: changing',
      'name: changing\n  labels: {team: a, keep: b}',
    );
    writeFileSync(file, `${cm('  a: "1"\n  b: "2"\n')}---\n${withLabel}`);
    expect((await kubectl(['apply', '-f', file])).stdout).toBe(
      'configmap/settings created\njob.batch/changing created\n',
    );
    writeFileSync(
      file,
      `${cm('  a: "1"\n')}---\n${withLabel.replace('team: a, ', '').replace('parallelism: 1', 'parallelism: 2')}`,
    );
    expect((await kubectl(['apply', '-f', file])).stdout).toBe(
      'configmap/settings configured\njob.batch/changing configured\n',
    );
    const got = JSON.parse((await kubectl(['get', 'configmap', 'settings', '-o', 'json'])).stdout);
    expect(got.data).toEqual({ a: '1' });
    const j = await home.json<Job>(['get', 'job', 'changing']);
    expect([j.metadata.labels?.team, j.metadata.labels?.keep, j.spec.parallelism]).toEqual([undefined, 'b', 2]);
    const editor = join(home.dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i 's/keep: b/keep: edited/' "$1"\n`, { mode: 0o755 });
    const edited = await kube.run(['edit', 'job/changing'], { EDITOR: editor });
    expect(edited).toMatchObject({ code: 0, stdout: 'job.batch/changing edited\n' });
    expect((await home.json<Job>(['get', 'job', 'changing'])).metadata.labels?.keep).toBe('edited');
    await kubectl(['delete', '-f', file]);
  });

  it('describe and get [-o wide] print as kubectl does for suspended, indexed, multi-container and backing-off Jobs and their pods', async () => {
    const spec = (
      name: string,
      body: string,
      pod = '      containers: [{name: c, image: busybox:1.35, command: ["true"]}]',
    ) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${name}}\nspec:\n${body}  template:\n    spec:\n      restartPolicy: Never\n${pod}\n`;
    const docs = [
      spec('p-susp', '  suspend: true\n'),
      spec('p-idx', '  completionMode: Indexed\n  completions: 2\n  parallelism: 2\n'),
      spec(
        'p-multi',
        '',
        '      initContainers: [{name: init, image: busybox:1.35, command: ["true"]}]\n      containers:\n' +
          '      - {name: a, image: busybox:1.35, command: ["sleep", "30"], env: [{name: X, value: "1"}], resources: {limits: {cpu: 500m, memory: 64Mi}}}\n' +
          '      - {name: b, image: busybox:1.35, command: ["sleep", "30"]}',
      ),
      spec(
        'p-backoff',
        '  backoffLimit: 4\n',
        '      containers: [{name: c, image: busybox:1.35, command: ["sh", "-c", "exit 2"]}]',
      ),
    ];
    await home.ok(['apply', '-f', '-'], docs.join('---\n'));
    await home.ok(['wait', '--for=condition=complete', 'job/p-idx', '--timeout=60s']);
    await until(
      'two failed attempts of p-backoff',
      async () => ((await home.getJob('p-backoff'))?.status?.failed ?? 0) >= 2,
    );
    await until('p-multi running', async () =>
      (await home.podsOf('p-multi')).some((p) => p.status?.phase === 'Running'),
    );
    const same = (t: string) => t.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, '<age>').replace(/ +/g, ' ');
    const pods = (await home.ok(['get', 'pods', '-o', 'name']))
      .trim()
      .split('\n')
      .filter((p) => p.startsWith('pod/p-'));
    for (const target of ['job/p-susp', 'job/p-idx', 'job/p-multi', 'job/p-backoff', ...pods]) {
      // A Job backing off changes between two commands: compared when jobctl's own description
      // did not change across kubectl's.
      for (let attempt = 0; ; attempt++) {
        const before = same(await home.ok(['describe', target]));
        const theirs = await kubectl(['describe', target]);
        const after = same(await home.ok(['describe', target]));
        if (before !== after && attempt < 10) continue;
        expect(theirs.stderr).toBe('');
        expect({ target, text: same(theirs.stdout) }).toEqual({ target, text: after });
        break;
      }
    }
    // And their rows, as kubectl prints the server's Tables and jobctl its own.
    for (const args of [
      ['get', 'jobs'],
      ['get', 'jobs', '-o', 'wide'],
      ['get', 'pods'],
      ['get', 'pods', '-o', 'wide'],
    ]) {
      for (let attempt = 0; ; attempt++) {
        const before = cells(await home.ok(args));
        const theirs = await kubectl(args);
        const after = cells(await home.ok(args));
        if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 10) continue;
        expect(theirs.stderr).toBe('');
        expect({ args, rows: cells(theirs.stdout) }).toEqual({ args, rows: after });
        break;
      }
    }
    await kubectl(['delete', 'jobs', 'p-susp', 'p-idx', 'p-multi', 'p-backoff']);
  });

  it('a kubeconfig exported once keeps working after a restart; a stopped server refuses the connection', async () => {
    expect((await home.ok(['server', 'stop'])).trim()).toBe('jobctl server stopped');
    const stopped = await kubectl(['get', 'jobs', '-o', 'name']);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(
      /^The connection to the server 127\.0\.0\.1:\d+ was refused - did you specify the right host or port\?$/m,
    );
    expect(await home.ok(['server', 'start'])).toMatch(/^jobctl server listening on https:\/\/127\.0\.0\.1:\d+ /);
    await home.ok(['apply', '-f', '-'], jobYaml('again', ['true']));
    await until('kubectl to see the job', async () =>
      (await kubectl(['get', 'jobs', '-o', 'name'])).stdout.includes('job.batch/again'),
    );
  });

  it("the official Python client lives a Job's life: create, watch to Complete, logs, delete", async () => {
    const python = '/usr/bin/python3';
    const probe = await promisify(execFile)(python, ['-c', 'import kubernetes']).then(
      () => '',
      (e: Error) => e.message,
    );
    if (probe) throw new Error(`Debian's python3-kubernetes is needed (scripts/ensure-docker installs it): ${probe}`);
    await home.ok(['server', 'start']);
    const script = join(import.meta.dirname, 'clients', 'python-job.py');
    const { stdout } = await promisify(execFile)(python, [script, 'from-python', kubeconfig], {
      env: { ...process.env, HOME: home.dir },
      timeout: 120_000,
    });
    const seen = JSON.parse(stdout) as { events: string[]; condition: string; logs: string; uid: string };
    expect(seen.condition).toBe('Complete');
    expect(seen.events[0]).toBe('MODIFIED');
    expect(seen.logs).toBe('hello from python\n');
    await until('the deleted Job to go', async () => (await home.jobctl(['get', 'job', 'from-python'])).code === 1);
  });
});
