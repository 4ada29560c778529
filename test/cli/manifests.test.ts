// Reading manifests: sources, formats, strict decoding with positions, and bounds.
import { writeFileSync, mkdirSync } from 'node:fs';

import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dry = (args: string[], stdin?: string) => runCli(['apply', ...args, '--dry-run=client'], { stdin });

const JOB = (name: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  ttlSecondsAfterFinished: 60
  template:
    spec:
      containers:
      - name: c
        image: busybox:1.35
        resources: {limits: {cpu: 100m, memory: 32Mi}}
      restartPolicy: Never
`;

describe('sources', () => {
  it('every chapter fixture passes a client dry run', async () => {
    for (const f of ['hello-world-job', 'failure-demo', 'parallel-processor', 'race']) {
      const r = await dry(['-f', `fixtures/${f}.yaml`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`job.batch/${f} created (dry run)\n`);
    }
  });

  it('reads a directory (yaml, yml, json only), repeated -f, and stdin', async () => {
    const dir = tempDir('jobctl-m-');
    writeFileSync(join(dir, 'a.yaml'), JOB('a'));
    writeFileSync(join(dir, 'b.yml'), JOB('b'));
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } }),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'd.yaml'), JOB('d'));
    const r = await dry(['-f', dir, '-f', '-'], JOB('e'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      'job.batch/a created (dry run)\njob.batch/b created (dry run)\nconfigmap/c created (dry run)\njob.batch/e created (dry run)\n',
    );
    const rec = await dry(['-R', '-f', dir]);
    expect(rec.stdout).toContain('job.batch/d created (dry run)');
  });

  it('multi-document YAML and kind: List', async () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l1' } }],
    });
    const r = await dry(['-f', '-'], `${JOB('one')}---\n---\n${JOB('two')}---\n${list}\n`);
    expect(r.stdout).toBe(
      'job.batch/one created (dry run)\njob.batch/two created (dry run)\nconfigmap/l1 created (dry run)\n',
    );
  });

  it('a missing path', async () => {
    const r = await dry(['-f', 'nope.yaml']);
    expect(r).toMatchObject({ code: 1, stderr: 'error: the path "nope.yaml" does not exist\n' });
  });

  it('-o yaml prints the stored object; -o json; -o name', async () => {
    const y = await dry(['-f', 'fixtures/hello-world-job.yaml', '-o', 'yaml']);
    expect(y.stdout).toMatch(/^apiVersion: batch\/v1\nkind: Job\nmetadata:\n/);
    expect(y.stdout).toContain('      restartPolicy: Never\n');
    expect(y.stdout).toContain('  backoffLimit: 4\n');
    expect(y.stdout).toContain('        imagePullPolicy: IfNotPresent\n');
    const j = await dry(['-f', 'fixtures/hello-world-job.yaml', '-o', 'json']);
    const obj = JSON.parse(j.stdout);
    expect(obj.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(obj.metadata.uid);
    const n = await dry(['-f', 'fixtures/hello-world-job.yaml', '-o', 'name']);
    expect(n.stdout).toBe('job.batch/hello-world-job\n');
  });
});

describe('strict decoding with positions', () => {
  it('an unknown field names its path and line', async () => {
    const r = await dry(['-f', 'fixtures/invalid/unknown-field.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: error decoding "fixtures/invalid/unknown-field.yaml": Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.backofLimit" (line 6, column 3)\n',
    );
  });

  it('a value of the wrong type', async () => {
    const r = await dry(['-f', 'fixtures/invalid/wrong-type.yaml']);
    expect(r.stderr).toContain(
      'json: cannot unmarshal string into Go struct field JobSpec.spec.parallelism of type int32 (line 6, column 16)',
    );
  });

  it('nested unknown fields keep their index', async () => {
    const r = await dry(
      ['-f', '-'],
      JOB('x').replace('image: busybox:1.35', 'image: busybox:1.35\n        imagee: typo'),
    );
    expect(r.stderr).toContain('unknown field "spec.template.spec.containers[0].imagee" (line 12, column 9)');
  });

  it('a YAML syntax error names file, line and column', async () => {
    const r = await dry(['-f', 'fixtures/invalid/syntax-error.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: error parsing "fixtures\/invalid\/syntax-error\.yaml": yaml: line \d+, column \d+: /,
    );
  });

  it('an unknown kind lists what jobctl serves', async () => {
    const r = await dry(['-f', 'fixtures/invalid/unknown-kind.yaml']);
    expect(r.stderr).toContain(
      'no matches for kind "CronJob" in version "batch/v1"; jobctl serves Job (batch/v1), ConfigMap (v1), Secret (v1), Namespace (v1), List (v1)',
    );
    const v = await dry(['-f', '-'], JOB('x').replace('batch/v1', 'batch/v1beta1'));
    expect(v.stderr).toContain(
      'no matches for kind "Job" in version "batch/v1beta1"; Job is served as apiVersion batch/v1',
    );
  });

  it('a bad quantity is a decode error', async () => {
    const r = await dry(['-f', '-'], JOB('x').replace('cpu: 100m', 'cpu: lots'));
    expect(r.stderr).toContain(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  });

  it('nothing is applied when any document is unreadable', async () => {
    const r = await dry(
      ['-f', '-'],
      `${JOB('good')}---\n${JOB('bad').replace('parallelism', 'x').replace('spec:\n', 'spec:\n  parallelism: "two"\n')}`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('refuses alias bombs and oversized input without expanding them', async () => {
    const bomb = await dry(['-f', 'fixtures/invalid/alias-bomb.yaml']);
    expect(bomb.code).toBe(1);
    expect(bomb.stderr).toContain('Excessive alias count');
    const big = await dry(['-f', '-'], JOB('x') + '#' + 'x'.repeat(4 * 1024 * 1024));
    expect(big.stderr).toBe('error: error reading "STDIN": manifests larger than 4 MiB are refused\n');
  });
});

describe('warnings', () => {
  it('the chapter pitfalls', async () => {
    const r = await dry(['-f', 'fixtures/race.yaml']);
    expect(r.stderr).toContain('Warning: spec.ttlSecondsAfterFinished is not set');
    expect(r.stderr).toContain(
      'Warning: spec.template.spec.containers[0].resources.limits: not set: a greedy Job can starve the machine',
    );
    expect(r.stderr).toContain(
      'Warning: spec.parallelism: 5 is greater than spec.completions: 1: only completions - succeeded pods ever run at once',
    );
    expect(r.stderr).toContain('use an Indexed Job with a successPolicy');
  });

  it('a well-formed job draws none', async () => {
    const r = await dry(['-f', '-'], JOB('quiet'));
    expect(r.stderr).toBe('');
  });

  it('dots in the name, and fields with no effect locally', async () => {
    const r = await dry(
      ['-f', '-'],
      JOB('a.b').replace(
        'restartPolicy: Never',
        'restartPolicy: Never\n      nodeSelector: {disk: ssd}\n      serviceAccountName: runner\n      affinity: {podAntiAffinity: {}}',
      ),
    );
    expect(r.stderr).toContain(
      'Warning: metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
    );
    expect(r.stderr).toContain(
      "Warning: spec.template.spec.serviceAccountName, spec.template.spec.affinity.podAntiAffinity: no effect on jobctl's single local Docker engine; accepted and ignored",
    );
  });
});

describe('a Job another controller manages', () => {
  it("says that jobctl will run nothing for it; the job controller's own name draws nothing", async () => {
    const y = (by: string) => JOB('ext').replace('spec:\n', `spec:\n  managedBy: ${by}\n`);
    expect((await dry(['-f', '-'], y('example.com/batch'))).stderr).toBe(
      'Warning: spec.managedBy: this Job is left to "example.com/batch": jobctl\'s job controller creates no pods and writes no status for it\n',
    );
    expect((await dry(['-f', '-'], y('kubernetes.io/job-controller'))).stderr).toBe('');
  });
});

describe('warnings for manifests that hand a container the host', () => {
  it('privileged, hostPath / or the Docker socket, hostNetwork: allowed, each with a warning', async () => {
    const y = JOB('host')
      .replace(
        'restartPolicy: Never',
        'restartPolicy: Never\n      hostNetwork: true\n      volumes: [{name: s, hostPath: {path: /var/run/docker.sock}}, {name: r, hostPath: {path: /}}]',
      )
      .replace('resources:', 'securityContext: {privileged: true}\n        resources:');
    const r = await dry(['-f', '-'], y);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Warning: spec.template.spec.hostNetwork: the pods share this machine's network");
    expect(r.stderr).toContain(
      'Warning: spec.template.spec.containers[0].securityContext.privileged: the container gets full control of this machine',
    );
    expect(r.stderr).toContain(
      'Warning: spec.template.spec.volumes[0].hostPath: /var/run/docker.sock hands the pod the Docker engine, and with it root on this machine',
    );
    expect(r.stderr).toContain(
      "Warning: spec.template.spec.volumes[1].hostPath: mounts this machine's root filesystem into the pod",
    );
  });
});

describe('create job', () => {
  it('builds what kubectl builds', async () => {
    const r = await runCli([
      'create',
      'job',
      'pi',
      '--image=busybox:1.35',
      '--dry-run=client',
      '-o',
      'yaml',
      '--',
      'sh',
      '-c',
      'echo hi',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    metadata: {}
    spec:
      containers:
      - command:
        - sh
        - -c
        - echo hi
        image: busybox:1.35
        name: pi
        resources: {}
      restartPolicy: Never
`);
    const plain = await runCli(['create', 'job', 'pi', '--image=busybox:1.35', '--dry-run=client']);
    expect(plain.stdout).toBe('job.batch/pi created (dry run)\n');
  });
  it('requires an image', async () => {
    const r = await runCli(['create', 'job', 'pi', '--dry-run=client']);
    expect(r).toMatchObject({ code: 1, stderr: 'error: --image must be specified\n' });
  });
});
