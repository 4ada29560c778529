// jobctl driving a cluster through a kubeconfig (issue 15): one JOBCTL_HOME's server, with its
// own CA and a client certificate that CA signed, stands in for the cluster; a second JOBCTL_HOME,
// which never starts a server of its own, runs the chapter's manifests there through
// `--kubeconfig`, JOBCTL_CONTEXT and `config use-context`, on the real engine.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, Home } from './harness.js';
import { findKubectl } from './kubectl-harness.js';

const cluster = new Home('500ms');
const laptop = new Home('500ms');
const kube = join(laptop.dir, 'kube');
const config = join(kube, 'config');
afterAll(async () => {
  await laptop.cleanup();
  await cluster.cleanup();
});

beforeAll(async () => {
  await cluster.ok(['create', 'namespace', 'lab']);
  const port = JSON.parse(readFileSync(join(cluster.dir, 'server.json'), 'utf8')).port as number;
  mkdirSync(kube, { recursive: true });
  copyFileSync(join(cluster.dir, 'ca.crt'), join(kube, 'ca.crt'));
  // A client certificate signed by the cluster's CA, as a cluster's admin would hand one out.
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
      '-keyout',
      join(kube, 'client.key'),
      '-out',
      join(kube, 'client.csr'),
      '-subj',
      '/CN=tester',
    ]),
  );
  writeFileSync(join(kube, 'ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(
    ['x509', '-req', '-in', join(kube, 'client.csr'), '-CA', join(cluster.dir, 'ca.crt')]
      .concat(['-CAkey', join(cluster.dir, 'ca.key'), '-days', '1', '-out', join(kube, 'client.crt')])
      .concat(['-extfile', join(kube, 'ext')]),
  );
  // Relative paths: found from the kubeconfig's folder, as kubectl finds them.
  writeFileSync(
    config,
    `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: {server: "https://127.0.0.1:${port}", certificate-authority: ca.crt}
- name: lab-no-ca
  cluster: {server: "https://127.0.0.1:${port}"}
contexts:
- name: lab
  context: {cluster: lab, user: tester, namespace: lab}
- name: anonymous
  context: {cluster: lab, user: nobody}
- name: untrusted
  context: {cluster: lab-no-ca, user: tester}
current-context: lab
users:
- name: tester
  user: {client-certificate: client.crt, client-key: client.key}
- name: nobody
  user: {}
`,
  );
});

const remote = (args: string[]) => laptop.jobctl(['--kubeconfig', config, ...args]);
const ok = async (args: string[]) => {
  const r = await remote(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

describe('a second jobctl drives a server through a kubeconfig', () => {
  it("runs the chapter's manifests to completion in the context's namespace", async () => {
    for (const f of ['hello-world-job', 'parallel-processor', 'failure-demo']) {
      const applied = await remote(['apply', '-f', join(FIXTURES, `${f}.yaml`)]);
      expect(applied.stdout).toBe(`job.batch/${f} created\n`);
    }
    expect(await ok(['wait', '--for=condition=complete', 'job/hello-world-job', '--timeout=60s'])).toBe(
      'job.batch/hello-world-job condition met\n',
    );
    expect(await ok(['logs', 'job/hello-world-job'])).toBe('Hello, Jobs!\n');
    await ok(['wait', '--for=condition=complete', 'job/parallel-processor', '--timeout=120s']);
    await ok(['wait', '--for=condition=failed', 'job/failure-demo', '--timeout=120s']);
    const rows = await ok(['get', 'jobs', '--no-headers']);
    expect(rows).toMatch(/^failure-demo\s+Failed\s+0\/1\s/m);
    expect(rows).toMatch(/^hello-world-job\s+Complete\s+1\/1\s/m);
    expect(rows).toMatch(/^parallel-processor\s+Complete\s+10\/10\s/m);
    expect(await ok(['describe', 'job/failure-demo'])).toMatch(/Warning\s+BackoffLimitExceeded/);
    // The cluster holds them in the context's namespace; this home started no server.
    expect(await cluster.ok(['get', 'jobs', '-n', 'lab', '-o', 'name'])).toBe(
      'job.batch/failure-demo\njob.batch/hello-world-job\njob.batch/parallel-processor\n',
    );
    expect(existsSync(join(laptop.dir, 'server.json'))).toBe(false);
    // kubectl reads the same kubeconfig (client certificate, relative paths, the context's
    // namespace) and sees the same.
    const kubectl = execFileSync(findKubectl(), ['--kubeconfig', config, 'get', 'jobs', '-o', 'name'], {
      env: { ...process.env, HOME: laptop.dir },
      encoding: 'utf8',
    });
    expect(kubectl).toBe(await ok(['get', 'jobs', '-o', 'name']));
    expect(await ok(['delete', 'job', 'failure-demo'])).toBe('job.batch "failure-demo" deleted\n');
  });

  it('JOBCTL_CONTEXT and config use-context choose it too; "jobctl" is the local server again', async () => {
    laptop.env.KUBECONFIG = config;
    laptop.env.JOBCTL_CONTEXT = 'lab';
    expect(await laptop.ok(['get', 'job', 'hello-world-job', '-o', 'name'])).toBe('job.batch/hello-world-job\n');
    delete laptop.env.JOBCTL_CONTEXT;
    expect(await laptop.ok(['config', 'current-context'])).toBe('jobctl\n');
    expect(await laptop.ok(['config', 'use-context', 'lab'])).toBe('Switched to context "lab".\n');
    expect(await laptop.ok(['config', 'current-context'])).toBe('lab\n');
    expect(await laptop.ok(['get', 'jobs', '-o', 'name'])).toContain('job.batch/hello-world-job\n');
    expect(await laptop.ok(['config', 'get-contexts'])).toBe(
      [
        'CURRENT   NAME        CLUSTER     AUTHINFO   NAMESPACE',
        '          anonymous   lab         nobody     ',
        '          jobctl      jobctl      jobctl     default',
        '*         lab         lab         tester     lab',
        '          untrusted   lab-no-ca   tester     ',
        '',
      ].join('\n'),
    );
    expect((await laptop.jobctl(['config', 'use-context', 'ghost'])).stderr).toBe(
      'error: no context exists with the name: "ghost"\n',
    );
    expect(await laptop.ok(['config', 'use-context', 'jobctl'])).toBe('Switched to context "jobctl".\n');
    expect(await laptop.ok(['config', 'current-context'])).toBe('jobctl\n');
    expect(existsSync(join(laptop.dir, 'server.json'))).toBe(false);
    delete laptop.env.KUBECONFIG;
  });

  it("refuses what kubectl refuses, in kubectl's words", async () => {
    expect((await remote(['--context', 'ghost', 'get', 'jobs'])).stderr).toBe(
      'Error in configuration: context was not found for specified context: ghost\n',
    );
    const missing = join(laptop.dir, 'none');
    expect((await laptop.jobctl(['--kubeconfig', missing, 'get', 'jobs'])).stderr).toBe(
      `error: stat ${missing}: no such file or directory\n`,
    );
    expect((await remote(['--context', 'anonymous', 'get', 'jobs'])).stderr).toBe(
      'error: You must be logged in to the server (Unauthorized)\n',
    );
    const untrusted = await remote(['--context', 'untrusted', 'get', 'jobs']);
    expect(untrusted.stderr).toMatch(/^Unable to connect to the server: .*certificate/);
    expect(existsSync(join(laptop.dir, 'server.json'))).toBe(false);
  });
});
