// The rest of kubectl's verbs (issue 19), each against kubectl 1.32 on the same server as the
// oracle: `events` (the table, ages aside; --for, --types, -A, --no-headers, -o yaml, the errors,
// -w), `api-resources` (its flags and errors), `get`'s -L, --sort-by, -o custom-columns and
// custom-columns-file, `get all` and `get TYPE,TYPE`, `logs --since|--since-time|--limit-bytes`,
// `version -o json|yaml`, `get -o yaml` quoting strings as kubectl does, `explain` and `diff`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, Home, jobYaml, until } from './harness.js';
import { Kubectl } from './kubectl-harness.js';
import type { Job } from '../../src/api/index.js';

const home = new Home('300ms');
const kube = new Kubectl(home);
afterAll(() => home.cleanup());

/** Ages move between two commands: every age-like cell is masked, and the padding with it. */
const masked = (text: string) => text.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, '<age>').replace(/ +/g, ' ');

beforeAll(async () => {
  await kube.connect();
  await home.ok(
    ['apply', '-f', '-'],
    jobYaml('fails', ['sh', '-c', 'echo "no: luck"; exit 2'], { spec: '  backoffLimit: 1\n' }),
  );
  await home.ok(['apply', '-f', '-'], jobYaml('fine', ['true']));
  await home.ok(['wait', '--for=condition=failed', 'job/fails', '--timeout=60s']);
  await home.ok(['wait', '--for=condition=complete', 'job/fine', '--timeout=60s']);
});

describe('jobctl events, with kubectl events as the oracle', () => {
  it('prints what kubectl prints, for the same requests', async () => {
    // (A short list: Go sorts up to 12 events stably; longer lists order equal times its own way.)
    for (const args of [
      ['events', '--for', 'job/fails'],
      ['events', '--for', 'job.batch/fine', '--no-headers'],
      ['events', '--types=Warning'],
      ['events', '-A', '--types', 'warning'],
      ['events', '--for', 'job/nothing'],
      ['events', '-n', 'kube-system'],
      ['events', '--for', 'fails'],
      ['events', '--for', 'job/a/b'],
      ['events', '--for', 'gadget/x'],
      ['events', '--types=Bad'],
    ]) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      expect({ code: got.code, stdout: masked(got.stdout), stderr: got.stderr }, args.join(' ')).toEqual({
        code: want.code,
        stdout: masked(want.stdout),
        stderr: want.stderr,
      });
    }
    const mine = await home.ok(['events', '--for', 'job/fails']);
    expect(mine).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/m);
    expect(mine).toMatch(/Warning +BackoffLimitExceeded +Job\/fails +Job has reached the specified backoff limit$/m);
  });

  it('-o yaml as kubectl prints it; and get -o yaml quotes as kubectl does', async () => {
    const args = ['events', '--for', 'job/fails', '-o', 'yaml'];
    expect((await home.jobctl(args)).stdout).toBe((await kube.run(args)).stdout);
    // go-yaml's quotes: 'single' for a string with ': ', "double" for one read as another type.
    for (const what of [
      ['get', 'events'],
      ['get', 'pods'],
      ['get', 'jobs'],
    ]) {
      const mine = await home.ok([...what, '-o', 'yaml']);
      expect(mine, what.join(' ')).toBe((await kube.run([...what, '-o', 'yaml'])).stdout);
    }
    expect(await home.ok(['get', 'events', '-o', 'yaml'])).toMatch(/message: 'Created container: c'/);
  });

  it('-w prints the events there are, then each new one', async () => {
    const watch = home.background(['events', '--for', 'job/later', '-w']);
    await home.ok(['apply', '-f', '-'], jobYaml('later', ['true']));
    await until("the new Job's events", async () => /Completed +Job\/later +Job completed/.test(watch.output()));
    watch.child.kill('SIGINT');
    const lines = watch.output().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(lines.filter((l) => l.startsWith('LAST SEEN'))).toHaveLength(1);
    expect(lines.some((l) => /SuccessfulCreate +Job\/later +Created pod: later-/.test(l))).toBe(true);
  });
});

describe('jobctl api-resources, with kubectl api-resources as the oracle', () => {
  it('prints what kubectl prints from the same discovery, with every flag', async () => {
    for (const args of [
      ['api-resources'],
      ['api-resources', '-o', 'wide'],
      ['api-resources', '-o', 'name'],
      ['api-resources', '--sort-by=kind', '--namespaced=false'],
      ['api-resources', '--namespaced'],
      ['api-resources', '--api-group=batch', '--no-headers'],
      ['api-resources', '--api-group='],
      ['api-resources', '--verbs=create,list', '-o', 'name'],
      ['api-resources', '--verbs=create', '--verbs=list'],
      ['api-resources', '--categories=all'],
      ['api-resources', '--sort-by=x'],
      ['api-resources', '-o', 'json'],
    ]) {
      const want = await kube.run(args);
      expect(await home.jobctl(args), args.join(' ')).toEqual(want);
    }
    expect(await home.jobctl(['api-resources', 'extra'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: unexpected arguments: [extra]\nSee 'jobctl api-resources -h' for help and examples\n",
    });
    expect((await kube.run(['api-resources', 'extra'])).stderr).toContain('error: unexpected arguments: [extra]');
  });
});

describe('jobctl explain, with kubectl explain as the oracle', () => {
  it("prints the server's field docs as kubectl does: kinds, field paths, --recursive, --api-version, the errors", async () => {
    for (const args of [
      ['explain', 'jobs'],
      ['explain', 'job.spec'],
      ['explain', 'jobs.batch.spec.completionMode'],
      ['explain', 'jobs.spec.template.spec.containers'],
      ['explain', 'jobs.spec.podFailurePolicy', '--recursive'],
      ['explain', '--recursive', 'jobs'],
      ['explain', 'jobs', '--recursive=false'],
      ['explain', 'po.spec.volumes.hostPath'],
      ['explain', 'pods.status.containerStatuses.lastState.terminated'],
      ['explain', 'pods.spec.containers.resources.limits'],
      ['explain', 'pods.metadata.creationTimestamp'],
      ['explain', 'events'],
      ['explain', 'ev.involvedObject', '--api-version=v1'],
      ['explain', 'nodes.status', '--recursive'],
      ['explain', 'ns'],
      ['explain', 'cm.data'],
      ['explain', 'secrets'],
      ['explain', 'JOBS.spec.'],
      ['explain', 'jobs.spec.nothing'],
      ['explain', 'jobs.spec', '--api-version=v1'],
      ['explain', 'pods', '--api-version=metrics.k8s.io/v1beta1'],
      ['explain', 'gadgets'],
      ['explain', 'jobs.spec.template.spec.containers[0]'],
      ['explain', 'jobs', '--recursive=maybe'],
      ['explain', 'jobs', '-o', 'fancy'],
      ['explain'],
      ['explain', 'jobs', 'pods'],
    ]) {
      const want = await kube.run(args);
      // (Its errors name the command: `See 'kubectl explain --help'`, `Use "kubectl api-resources"`.)
      const stderr = want.stderr.replace(/\bkubectl\b/g, 'jobctl');
      expect(await home.jobctl(args), args.join(' ')).toEqual({ ...want, stderr });
    }
    const page = await home.ok(['explain', 'jobs.spec.backoffLimit']);
    expect(page).toMatch(/^FIELD: backoffLimit <integer>$/m);
    expect(page).toContain('Defaults to 6');
    expect(await home.jobctl(['explain', 'jobs', '-o', 'plaintext-openapiv2'])).toMatchObject({
      code: 1,
      stderr: 'error: --output plaintext-openapiv2 is not supported: jobctl explains from OpenAPI v3 (plaintext)\n',
    });
  });
});

describe('jobctl diff, with kubectl diff as the oracle', () => {
  /** Temporary directories, the diff's file times, and what a dry-run create makes up, masked. */
  const masked = (text: string) =>
    text
      .replace(/\/(LIVE|MERGED)-\w+/g, '/$1-X')
      .replace(/\t\d{4}-\d\d-\d\d [\d:.]+ [+-]\d{4}/g, '\tTIME')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
      .replace(/creationTimestamp: "[^"]+"/g, 'creationTimestamp: T');
  const file = (name: string, text: string) => {
    writeFileSync(join(home.dir, name), text);
    return join(home.dir, name);
  };
  const cm = (name: string, data: string, labels = '') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${labels}data:\n${data}`;

  it('shows what apply would change, exits 1 when something would, and fails as kubectl does', async () => {
    await home.ok(['apply', '-f', file('d-cm.yaml', cm('dcfg', '  a: "1"\n'))]);
    const secret = (p: string, q = '') =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: dsec\ndata:\n  p: ${p}\n  keep: eA==\n${q}`;
    expect((await kube.run(['apply', '-f', file('d-sec.yaml', secret('eA=='))])).code).toBe(0);
    const changed = file('d-cm2.yaml', cm('dcfg', '  a: "2"\n  b: "3"\n', '  labels:\n    team: data\n'));
    const fine = jobYaml('fine', ['true']);
    const cases = [
      ['diff', '-f', join(home.dir, 'd-cm.yaml')],
      ['diff', '-f', changed],
      ['diff', '-f', changed, '--server-side'],
      ['diff', '-f', changed, '--server-side', '--field-manager=me', '--show-managed-fields'],
      ['diff', '-f', file('d-new.yaml', cm('dnew', '  x: z\n'))],
      ['diff', '-f', file('d-sec2.yaml', secret('eQ==', '  q: eg==\n'))],
      ['diff', '-f', file('d-job.yaml', fine.replace('  name: fine\n', '  name: fine\n  labels:\n    tier: batch\n'))],
      ['diff', '-f', file('d-job2.yaml', fine.replace('["true"]', '["false"]'))],
      ['diff'],
      ['diff', '-f', join(home.dir, 'nothing.yaml')],
      ['diff', '-f', changed, '--force-conflicts'],
    ];
    for (const args of cases) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      // (kubectl's klog line on its last try, `keeps changing, diffing without lock`, is its own.)
      const stderr = masked(want.stderr.replace(/^W\d{4} .*\n/gm, '').replace(/'kubectl /g, "'jobctl "));
      expect({ ...got, stdout: masked(got.stdout), stderr: masked(got.stderr) }, args.join(' ')).toEqual({
        ...want,
        stdout: masked(want.stdout),
        stderr,
      });
    }
    // What it says, in short: the changed keys and the label; a Secret's values never.
    const shown = await home.jobctl(['diff', '-f', changed]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toMatch(/^- {2}a: "1"\n\+ {2}a: "2"\n\+ {2}b: "3"$/m);
    expect(shown.stdout).toMatch(/^\+ {4}team: data$/m);
    const secrets = (await home.jobctl(['diff', '-f', join(home.dir, 'd-sec2.yaml')])).stdout;
    expect(secrets).toMatch(/^ {3}keep: '\*\*\*'$/m);
    expect(secrets).toMatch(/^- {2}p: '\*\*\* \(before\)'\n\+ {2}p: '\*\*\* \(after\)'$/m);
    expect(secrets).not.toMatch(/eQ==|eA==/);
    // Nothing was changed by any of it.
    expect(await home.ok(['get', 'configmap', 'dcfg', '-o', 'jsonpath={.data}'])).toBe('{"a":"1"}');
    expect((await home.jobctl(['get', 'configmap', 'dnew'])).code).toBe(1);
    // KUBECTL_EXTERNAL_DIFF: another program, with the flags kubectl lets through.
    home.env.KUBECTL_EXTERNAL_DIFF = 'diff -q';
    try {
      const brief = await home.jobctl(['diff', '-f', changed]);
      expect(brief).toMatchObject({ code: 1, stderr: '' });
      expect(brief.stdout).toMatch(/^Files \/\S+\/LIVE-\w+\/v1\.ConfigMap\.default\.dcfg and \S+ differ\n$/);
    } finally {
      delete home.env.KUBECTL_EXTERNAL_DIFF;
    }
  });
});

describe("the server's warnings, with kubectl as the oracle", () => {
  it('are printed once each, however many objects get them', async () => {
    await home.ok(['create', 'namespace', 'warn-once']);
    const args = ['apply', '-f', FIXTURES, '--dry-run=server', '-n', 'warn-once'];
    const want = await kube.run(args);
    expect(want.stderr.match(/^Warning: /gm)?.length).toBe(3); // three kinds, among four Jobs
    expect(await home.jobctl(args)).toEqual(want);
  });
});

describe("get's columns and order, with kubectl get as the oracle", () => {
  it('-L, --show-labels, --sort-by, -o custom-columns and custom-columns-file; get all and TYPE,TYPE', async () => {
    const file = join(home.dir, 'columns.txt');
    writeFileSync(
      file,
      'NAME PHASE RESTARTS\n.metadata.name {.status.phase} status.containerStatuses[*].restartCount\n',
    );
    const oneLine = join(home.dir, 'one-line.txt');
    writeFileSync(oneLine, 'ONLY\n');
    for (const args of [
      ['get', 'pods', '-L', 'batch.kubernetes.io/job-name,controller-uid', '--show-labels'],
      ['get', 'pods', '-L', 'job-name', '-L', 'nope'],
      ['get', 'jobs', '-L', 'job-name', '-o', 'wide'],
      ['get', 'pods', '--sort-by=.status.startTime'],
      ['get', 'jobs', '--sort-by={.metadata.name}', '-o', 'name'],
      ['get', 'pods', '--sort-by=.status.containerStatuses[0].restartCount', '--no-headers'],
      [
        'get',
        'pods',
        '-o',
        'custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,X:.nope,L:.metadata.labels',
      ],
      ['get', 'pods', '-o', 'custom-columns=NAME:metadata.name', '--no-headers'],
      [
        'get',
        'jobs',
        '--sort-by=.metadata.creationTimestamp',
        '-o',
        'custom-columns=N:.metadata.name,C:.spec.completions',
      ],
      ['get', 'pods', '-o', `custom-columns-file=${file}`],
      ['get', 'pods', '-o', `custom-columns-file=${oneLine}`],
      ['get', 'pods', '-o', 'custom-columns='],
      ['get', 'pods', '-o', 'custom-columns=NAME'],
      ['get', 'pods', '-o', 'custom-columns=N:{{x'],
      // Several types at once: a table each, names qualified; one List.
      ['get', 'all'],
      ['get', 'all', '-o', 'name'],
      ['get', 'all', '-A'],
      ['get', 'all', '-o', 'wide', '--no-headers'],
      ['get', 'jobs,po', '-o', 'wide'],
      ['get', 'cm,jobs'],
      ['get', 'all', '-n', 'kube-system'],
      ['get', 'all', '-l', 'nope=1'],
      ['get', 'all', '-w'],
      ['get', 'jobs,pods', '-o', 'yaml'],
    ]) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      expect({ ...got, stdout: masked(got.stdout) }, args.join(' ')).toEqual({ ...want, stdout: masked(want.stdout) });
    }
  });
});

describe("logs' window, with kubectl logs as the oracle", () => {
  it('--since, --since-time, --limit-bytes (with --tail), and their errors', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('talk', ['sh', '-c', 'for i in 1 2 3 4; do echo "line $i"; sleep 1; done']),
    );
    await home.ok(['wait', '--for=condition=complete', 'job/talk', '--timeout=60s']);
    const stamped = (await home.ok(['logs', 'job/talk', '--timestamps'])).trimEnd().split('\n');
    const third = stamped[2].split(' ')[0];
    const cases = [
      ['logs', 'job/talk', '--since=1h'],
      ['logs', 'job/talk', `--since-time=${third}`],
      ['logs', 'job/talk', `--since-time=${third}`, '--timestamps'],
      ['logs', 'job/talk', '--limit-bytes=9'],
      ['logs', 'job/talk', '--limit-bytes=7', '--tail=2'],
      ['logs', 'job/talk', '--since=1h', `--since-time=${third}`],
      ['logs', 'job/talk', '--limit-bytes=-1'],
      ['logs', 'job/talk', '--since-time=yesterday'],
      ['logs', 'job/talk', '--since=-5s'],
    ];
    for (const args of cases) expect(await home.jobctl(args), args.join(' ')).toEqual(await kube.run(args));
    // Whole seconds reach the server (kubectl's RFC 3339): the third line, written within its second, is in.
    expect((await home.ok(['logs', 'job/talk', `--since-time=${third}`])).split('\n')[0]).toMatch(/^line [23]$/);
    expect(await home.ok(['logs', 'job/talk', '--limit-bytes=9'])).toBe('line 1\nli');
    const flag = await home.jobctl(['logs', 'job/talk', '--since=x']);
    expect(flag.stderr).toBe((await kube.run(['logs', 'job/talk', '--since=x'])).stderr.replace('kubectl', 'jobctl'));
  });
});

describe('version, beside kubectl version', () => {
  it('-o json|yaml: the server as kubectl reads it (a Go platform), and the engine; --client; the error', async () => {
    type Versions = {
      clientVersion: { gitVersion: string; platform: string };
      serverVersion: unknown;
      engine?: unknown;
    };
    const mine = JSON.parse(await home.ok(['version', '-o', 'json'])) as Versions;
    const theirs = JSON.parse((await kube.run(['version', '-o', 'json'])).stdout) as Versions;
    expect(mine.serverVersion).toMatchObject(theirs.serverVersion as object);
    expect(mine.clientVersion.platform).toBe(theirs.clientVersion.platform);
    expect(mine.engine).toMatchObject({ ready: true, runtime: expect.stringMatching(/^(docker|podman)$/) });
    expect(await home.ok(['version', '--client', '-o', 'yaml'])).toMatch(/^clientVersion:\n {2}gitVersion: v\d/);
    expect(await home.jobctl(['version', '-o', 'x'])).toEqual({
      ...(await kube.run(['version', '-o', 'x'])),
      stdout: '',
    });
  });
});

describe('jobctl label and annotate, with kubectl as the oracle', () => {
  it('change, refuse, list and report as kubectl does, command for command', async () => {
    // The same Jobs in two namespaces: kubectl works on one, jobctl on the other, in step.
    for (const ns of ['lk', 'lj']) {
      await home.ok(['create', 'namespace', ns]);
      for (const name of ['one', 'two'])
        await home.ok(['apply', '-n', ns, '-f', '-'], jobYaml(name, ['true'], { spec: '  suspend: true\n' }));
    }
    const steps = [
      ['label', 'job', 'one', 'a=1'],
      ['label', 'job', 'one', 'a=1'],
      ['label', 'job', 'one', 'a=2'],
      ['label', 'job', 'one', 'a=2', '--overwrite'],
      ['label', 'job', 'one', 'a-'],
      ['label', 'job', 'one', 'a-'],
      ['label', 'job', 'one', 'a=1', 'b=2'],
      ['label', 'job', 'one', 'a=3', 'b-', '--overwrite'],
      ['label', 'job', 'one', 'c=1', '--dry-run=client'],
      ['label', 'job', 'one', 'c=1', '--dry-run=server'],
      ['label', 'jobs', '--all', 'd=1'],
      ['label', 'jobs', '-l', 'a=3', 'e=1'],
      ['label', 'jobs', '--all', '-l', 'a=3', 'e=1'],
      ['label', 'jobs', 'f=1'],
      ['label', 'job', 'one'],
      ['label', 'job/one', 'job/two', 'g=1', '-o', 'name'],
      ['label', 'job', 'one', 'a=x', 'a-'],
      ['label', 'job', 'one', '=x'],
      ['label', 'job', 'one', 'a=b c'],
      ['label', 'job', 'one', 'x=1', 'job'],
      ['label', 'job', 'nope', 'a=1'],
      ['label', 'jobs', '--all', '--resource-version=1', 'r=1'],
      ['label', 'job', 'one', '--resource-version=1', 'r=1'],
      ['label', 'jobs', '-l', 'nothing=here', 'r=1'],
      ['annotate', 'job', 'one', 'a=1'],
      ['annotate', 'job', 'one', 'a=1'],
      ['annotate', 'job', 'one', 'a=2'],
      ['annotate', 'job', 'one', 'a=2', '--overwrite'],
      ['annotate', 'job', 'one', 'a-'],
      ['annotate', 'job', 'one', 'a-'],
      ['annotate', 'job', 'one', 'x=1', 'y-'],
      ['annotate', 'job', 'one', 'desc=has spaces: and = signs'],
      ['annotate', 'job', 'one', 'x=2', 'x-'],
      ['annotate', 'job', 'one'],
      ['annotate', 'jobs', '--all', 'z=1'],
      ['annotate', 'job', 'one', 'Bad_Key/x=1'],
      ['annotate', 'job', 'one', 'q=1', '--dry-run=server', '-o', 'name'],
    ];
    for (const step of steps) {
      const want = await kube.run([...step, '-n', 'lk']);
      const got = await home.jobctl([...step, '-n', 'lj']);
      expect({ ...got, stdout: got.stdout.replaceAll('lj', 'lk') }, step.join(' ')).toEqual(want);
    }
    // Both ended the same: the labels and annotations each Job has, kubectl's side and jobctl's.
    const meta = async (ns: string) =>
      (await home.json<{ items: Job[] }>(['get', 'jobs', '-n', ns])).items.map((j) => [
        j.metadata.name,
        Object.fromEntries(Object.entries(j.metadata.labels ?? {}).filter(([k]) => !k.endsWith('controller-uid'))),
        Object.fromEntries(Object.entries(j.metadata.annotations ?? {}).filter(([k]) => !k.includes('last-applied'))),
      ]);
    expect(await meta('lj')).toEqual(await meta('lk'));
    // --list prints the pairs (kubectl in Go's map order, so compared as sets).
    const listed = async (tool: 'k' | 'j', verb: string, ...more: string[]) => {
      const args = [verb, 'job', 'one', '--list', '-n', `l${tool}`, ...more];
      const r = tool === 'k' ? await kube.run(args) : await home.jobctl(args);
      return r.stdout
        .replace(/[0-9a-f-]{36}/g, 'UID')
        .replaceAll(`"l${tool}"`, '"NS"')
        .split('\n')
        .sort();
    };
    expect(await listed('j', 'label')).toEqual(await listed('k', 'label'));
    expect(await listed('j', 'annotate', '-o', 'yaml')).toEqual(await listed('k', 'annotate', '-o', 'yaml'));
  });
});

describe('jobctl replace and edit, with kubectl as the oracle', () => {
  /** A suspended Job `name` in namespace `ns`, its label v and its command's word set. */
  const manifest = (name: string, ns: string, v: string, word: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {v: "${v}"}\nspec:\n  suspend: true\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.35\n        command: ["echo", "${word}"]\n`;
  const dir = () => home.dir;
  /** Runs `args` with kubectl on namespace rk and jobctl on rj, and expects the same answers. */
  async function inStep(args: (ns: string) => string[], env: Record<string, string> = {}) {
    const want = await kube.run(args('rk'), env);
    Object.assign(home.env, env);
    const got = await home.jobctl(args('rj'));
    for (const k of Object.keys(env)) delete home.env[k];
    const norm = (t: string) =>
      t
        .replace(/\brk\b|\brj\b/g, 'NS')
        .replace(/"[^"]*(kubectl\.1\.32|jobctl)-edit-[0-9a-f]+\.yaml"/g, '"FILE"')
        .replace(/(kubectl|jobctl)( replace)/g, 'X$2');
    expect({ code: got.code, stdout: norm(got.stdout), stderr: norm(got.stderr) }, args('rj').join(' ')).toEqual({
      code: want.code,
      stdout: norm(want.stdout),
      stderr: norm(want.stderr),
    });
  }

  it('replace: PUT whole at the live version, the immutable template refused, --force deletes and creates', async () => {
    for (const ns of ['rk', 'rj']) {
      await home.ok(['create', 'namespace', ns]);
      writeFileSync(join(dir(), `r-${ns}-1.yaml`), manifest('rep', ns, '1', 'a'));
      await home.ok(['create', '-f', join(dir(), `r-${ns}-1.yaml`)]);
      const live = await home.json<Job>(['get', 'job', 'rep', '-n', ns]);
      // The live Job, its label changed: what a user saves from `get -o yaml` and replaces.
      live.metadata.labels = { ...live.metadata.labels, v: '2' };
      delete live.metadata.resourceVersion;
      writeFileSync(join(dir(), `r-${ns}-2.json`), JSON.stringify(live));
      writeFileSync(join(dir(), `r-${ns}-3.yaml`), manifest('rep', ns, '3', 'b'));
      writeFileSync(join(dir(), `r-${ns}-none.yaml`), manifest('none', ns, '1', 'a'));
    }
    const file = (n: string) => (ns: string) => ['replace', '-f', join(dir(), `r-${ns}-${n}`)];
    await inStep(file('2.json'));
    await inStep(file('3.yaml')); // no selector in the file: refused, as on a cluster
    await inStep((ns) => [...file('3.yaml')(ns), '--force']);
    await inStep(file('none.yaml'));
    await inStep((ns) => [...file('2.json')(ns), '--dry-run=client', '--force']);
    for (const ns of ['rk', 'rj'])
      expect(
        await home.ok([
          'get',
          'job',
          'rep',
          '-n',
          ns,
          '-o',
          'jsonpath={.metadata.labels.v} {.spec.template.spec.containers[0].command}',
        ]),
      ).toBe('3 ["echo","b"]');
  });

  it('edit: saves a change, cancels on none, reopens an invalid one with the reasons on top', async () => {
    const editor = join(dir(), 'editor.sh');
    // Sets parallelism to $ED_VALUE. With $ED_KEEP set, the second file it is shown (counted per
    // namespace: kubectl and jobctl each get their own) is kept, and parallelism set to 2.
    writeFileSync(
      editor,
      [
        '#!/bin/sh',
        `ns=$(sed -n 's/^  namespace: //p' "$1" | head -1)`,
        'c="$ED_KEEP/count-$ns"; n=$(cat "$c" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$c"',
        'if [ -n "$ED_KEEP" ] && [ $n = 2 ]; then cp "$1" "$ED_KEEP/second-$ns.yaml"; v=2; else v=$ED_VALUE; fi',
        'sed -i "s/^  parallelism: .*/  parallelism: $v/" "$1"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const edit = (ns: string) => ['edit', 'job', 'rep', '-n', ns];
    // TMPDIR: the files both tools edit (and keep) are made in this test's home, removed with it.
    const env = { EDITOR: editor, TMPDIR: dir() };
    await inStep(edit, { ...env, ED_VALUE: '1' }); // no change
    await inStep(edit, { ...env, ED_VALUE: '3' });
    await inStep(edit, { ...env, ED_VALUE: '-1' }); // invalid, then saved unchanged: kept
    await inStep((ns) => ['edit', 'job', 'nope', '-n', ns], { ...env, ED_VALUE: '1' });
    await inStep(edit, { ...env, ED_VALUE: '-1', ED_KEEP: dir() }); // invalid, then mended
    // What kubectl showed the second time is what jobctl showed: the server's reasons on top.
    const second = (ns: string) =>
      readFileSync(join(dir(), `second-${ns}.yaml`), 'utf8')
        .replace(/\b(rk|rj)\b/g, 'NS')
        .replace(/[0-9a-f-]{36}/g, 'UID')
        .replace(/resourceVersion: "\d+"/, 'resourceVersion: N')
        .replace(/"\d{4}-\d\d-\d\dT[\d:]+Z"/g, 'TIME');
    expect(second('rj')).toBe(second('rk'));
    expect(second('rj')).toMatch(
      /^# Please edit the object below\. [^]*#\n# jobs\.batch "rep" was not valid:\n# \* spec\.parallelism: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: batch\/v1\n/,
    );
    for (const ns of ['rk', 'rj'])
      expect(await home.ok(['get', 'job', 'rep', '-n', ns, '-o', 'jsonpath={.spec.parallelism}'])).toBe('2');
  });
});

describe('jobctl get --chunk-size, with kubectl as the oracle', () => {
  it('lists in pages of the given size (0: one request), the same objects, and refuses a non-number', async () => {
    for (const args of [
      ['get', 'jobs', '-A', '--chunk-size=1', '-o', 'name'],
      ['get', 'jobs,pods', '-A', '--chunk-size=2', '-o', 'name'],
      ['get', 'jobs', '-A', '--chunk-size=0', '-o', 'name'],
      ['get', 'jobs', '--chunk-size=x'],
    ]) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      expect({ ...got, stderr: got.stderr.replace("'jobctl", "'kubectl") }, args.join(' ')).toEqual(want);
    }
    // The pages as requested: limit=1 and a continue token for each next page.
    const audit = await home.api('GET', '/apis/batch/v1/jobs?limit=1');
    const page = JSON.parse(audit.body) as { items: unknown[]; metadata: { continue?: string } };
    expect(page.items).toHaveLength(1);
    expect(page.metadata.continue).toBeTruthy();
  });
});

describe('jobctl get -o go-template, with kubectl as the oracle', () => {
  it('prints and fails as kubectl does, template for template', async () => {
    const templates = [
      '{{range .items}}{{.metadata.name}} {{.spec.parallelism}} {{.status.succeeded}}{{"\\n"}}{{end}}',
      '{{range .items}}{{if eq .kind "Job"}}{{.metadata.name}}:{{len .metadata.labels}} {{end}}{{end}}',
      '{{range $i, $j := .items}}{{$i}}={{$j.metadata.name}} {{else}}none{{end}}',
      '{{range .items}}{{with .status.conditions}}{{(index . 0).type}} {{end}}{{end}}',
      '{{- range .items }} {{ printf "%s/%d %q" .metadata.name .spec.backoffLimit .kind }} {{- end }}',
      '{{range .items}}{{if .status.failed}}F{{else if .status.succeeded}}S{{else}}R{{end}}{{end}}',
      '{{len .items}} {{1000000}} {{.kind}} {{.metadata}}',
      '{{range .items}}{{.spec.template.spec.containers}}{{end}}',
      '{{range .items}}{{.metadata.name.x}}{{end}}',
      '{{.items.x',
      '{{nosuch .items}}',
      '{{range 3}}x{{end}}',
    ];
    for (const t of templates) {
      const args = ['get', 'jobs', '-o', `go-template=${t}`];
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      // A failure prints kubectl's help for it too (the template, the data as JSON and as Go sees it).
      expect(got, t).toEqual(want);
    }
    const file = join(home.dir, 'names.tmpl');
    writeFileSync(file, '{{range .items}}{{.metadata.name}}\n{{end}}');
    expect(await home.ok(['get', 'jobs', '-o', `go-template-file=${file}`])).toBe(
      (await kube.run(['get', 'jobs', '-o', `go-template-file=${file}`])).stdout,
    );
  });
});
