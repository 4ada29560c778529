// jobctl driving a cluster through a kubeconfig (issue 15): one JOBCTL_HOME's server, with its
// own CA and a client certificate that CA signed, stands in for the cluster; a second JOBCTL_HOME,
// which never starts a server of its own, runs the chapter's manifests there through
// `--kubeconfig`, JOBCTL_CONTEXT and `config use-context`, on the real engine.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Agent, request } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, until } from './harness.js';
import { findKubectl } from './kubectl-harness.js';
import { StandInCluster } from './stand-in-cluster.js';

/** A CONNECT proxy on 127.0.0.1 that tunnels to 127.0.0.1 only, and records what it was asked. */
const proxied: string[] = [];
const proxy = createServer();
proxy.on('connect', (req, client: Socket, head: Buffer) => {
  proxied.push(`${req.method} ${req.url} ${req.headers['user-agent'] ? 'ua' : ''}`.trim());
  const [host, port] = (req.url ?? '').split(':');
  if (host !== '127.0.0.1') {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const upstream = connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});

const lab = new StandInCluster();
const { cluster, laptop, kube, config } = lab;
let port = 0;
afterAll(async () => {
  proxy.close();
  await lab.cleanup();
});

beforeAll(async () => {
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyPort = (proxy.address() as AddressInfo).port;
  await lab.start((server) => ({
    clusters: `- name: lab-via-proxy\n  cluster: {server: "${server}", certificate-authority: ca.crt, proxy-url: "http://127.0.0.1:${proxyPort}"}\n`,
    contexts: '- name: proxied\n  context: {cluster: lab-via-proxy, user: tester, namespace: lab}\n',
  }));
  port = lab.port;
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
    const watch = laptop.background(['--kubeconfig', config, 'get', 'jobs', '-w']);
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
    // get -w followed them there, row by row.
    await until('the watch to see the end', async () =>
      /^parallel-processor\s+Complete\s+10\/10/m.test(watch.output()),
    );
    watch.child.kill('SIGINT');
    expect(watch.output()).toMatch(/^hello-world-job\s+Complete\s+1\/1\s/m);
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
        'CURRENT   NAME        CLUSTER         AUTHINFO   NAMESPACE',
        '          anonymous   lab             nobody     ',
        '          jobctl      jobctl          jobctl     default',
        '*         lab         lab             tester     lab',
        '          named       lab-by-name     tester     lab',
        '          proxied     lab-via-proxy   tester     lab',
        '          untrusted   lab-no-ca       tester     ',
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

  it("kubectl's connection flags; a proxy-url tunnels through the proxy, for kubectl too", async () => {
    const token = readFileSync(join(cluster.dir, 'token'), 'utf8').trim();
    const empty = join(laptop.dir, 'no-kubeconfig');
    const flags = ['--server', `https://127.0.0.1:${port}`, '--certificate-authority', join(kube, 'ca.crt')];
    const byFlags = await laptop.jobctl([
      '--kubeconfig',
      config,
      ...flags,
      '--token',
      token,
      'get',
      'jobs',
      '-n',
      'lab',
      '-o',
      'name',
    ]);
    expect(byFlags.stdout).toContain('job.batch/hello-world-job\n');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
    const noConfig = await laptop.jobctl([
      '--kubeconfig',
      empty,
      ...flags,
      '--token',
      token,
      'get',
      'ns',
      'lab',
      '-o',
      'name',
    ]);
    expect(noConfig).toMatchObject({ code: 0, stdout: 'namespace/lab\n' });
    expect((await remote(['--user', 'nobody', 'get', 'jobs'])).stderr).toBe(
      'error: You must be logged in to the server (Unauthorized)\n',
    );
    expect((await remote(['--user', 'ghost', 'get', 'jobs'])).stderr).toBe('error: auth info "ghost" does not exist\n');
    expect((await remote(['--cluster', 'ghost', 'get', 'jobs'])).stderr).toBe(
      'error: no server found for cluster "ghost"\n',
    );
    expect((await remote(['--request-timeout', 'soon', 'get', 'jobs'])).stderr).toBe(
      'error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n',
    );

    proxied.length = 0;
    expect(await ok(['--context', 'proxied', 'get', 'jobs', '-o', 'name'])).toContain('job.batch/hello-world-job\n');
    expect(proxied[0]).toMatch(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${port}`));
    const jobctlTunnels = proxied.length;
    // Not execFileSync: the proxy runs in this process and must keep serving.
    const viaProxy = await promisify(execFile)(
      findKubectl(),
      ['--kubeconfig', config, '--context', 'proxied', 'get', 'jobs', '-o', 'name'],
      { env: { ...process.env, HOME: laptop.dir } },
    );
    expect(viaProxy.stdout).toContain('job.batch/hello-world-job\n');
    expect(proxied.length).toBeGreaterThan(jobctlTunnels);
    expect(proxied.slice(jobctlTunnels).every((l) => l.startsWith(`CONNECT 127.0.0.1:${port}`))).toBe(true);
  });

  it('an exec plugin is run as kubectl runs it: the same args, env and KUBERNETES_EXEC_INFO; again after a 401', async () => {
    const token = readFileSync(join(cluster.dir, 'token'), 'utf8').trim();
    const count = join(kube, 'count');
    // The first run hands out a token the cluster refuses; the next one the right one.
    writeFileSync(
      join(kube, 'login.sh'),
      `#!/bin/sh\nn=$(cat "${count}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${count}"\n` +
        `printf 'run %s: %s %s\\ninfo %s\\n' "$n" "$*" "$GREETING" "$KUBERNETES_EXEC_INFO" >> "${kube}/runs.$WHO"\n` +
        `if [ $n = 1 ]; then t=wrong; else t=${token}; fi\n` +
        `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'$t'"}}'\n`,
      { mode: 0o755 },
    );
    const execConfig = join(kube, 'exec-config');
    writeFileSync(
      execConfig,
      readFileSync(config, 'utf8')
        .replace('contexts:\n', 'contexts:\n- name: exec\n  context: {cluster: lab, user: plugin}\n')
        .replace(
          'users:\n',
          'users:\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n' +
            '      command: ./login.sh\n      args: [--region, eu]\n      env: [{name: GREETING, value: hi}]\n' +
            '      interactiveMode: Never\n      provideClusterInfo: true\n',
        ),
    );
    const runs = async (who: string, bin: string, args: string[]) => {
      writeFileSync(count, '0');
      const r = await promisify(execFile)(bin, args, { env: { ...process.env, HOME: laptop.dir, WHO: who } }).catch(
        (e: { stdout: string }) => e,
      );
      return { out: r.stdout, runs: readFileSync(join(kube, `runs.${who}`), 'utf8') };
    };
    const args = ['--kubeconfig', execConfig, '--context', 'exec', 'get', 'ns', 'lab', '-o', 'name'];
    const theirs = await runs('kubectl', findKubectl(), args);
    const ours = await runs('jobctl', BIN, args);
    expect(ours.out).toBe('namespace/lab\n');
    expect(ours.runs).toMatch(/^run 1: --region eu hi\ninfo \{"kind":"ExecCredential".*\n\nrun 2: /s);
    expect(ours.runs).toBe(theirs.runs);
  });

  it('a typo never leaves the machine; a client dry run prints no local-engine warnings', async () => {
    const typo = join(laptop.dir, 'typo.yaml');
    writeFileSync(
      typo,
      readFileSync(join(FIXTURES, 'hello-world-job.yaml'), 'utf8').replace('restartPolicy', 'restartPolicyy'),
    );
    const refused = await remote(['apply', '-f', typo]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('restartPolicyy');
    const dry = await remote(['apply', '-f', join(FIXTURES, 'race.yaml'), '--dry-run=client']);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toMatch(/created \(dry run\)\n$/);
    expect((await cluster.jobctl(['get', 'jobs', '-n', 'lab', '-o', 'name'])).stdout).not.toMatch(/race/);
  });

  it('a cluster with no CA in the kubeconfig is checked against the system roots, as kubectl checks it', async () => {
    const verb = ['--kubeconfig', config, '--context', 'untrusted', 'get', 'ns', 'lab', '-o', 'name'];
    // Not trusted by the system: both refuse.
    expect((await lab.kubectl(verb)).stderr).toMatch(/certificate signed by unknown authority/);
    expect((await laptop.jobctl(verb)).stderr).toMatch(/^Unable to connect to the server: .*certificate/);
    // The system trusts the cluster's CA (SSL_CERT_FILE names the bundle, as for Go): both connect.
    laptop.env.SSL_CERT_FILE = join(kube, 'ca.crt');
    try {
      const theirs = await lab.kubectl(verb, { SSL_CERT_FILE: join(kube, 'ca.crt') });
      expect(theirs).toMatchObject({ code: 0, stdout: 'namespace/lab\n' });
      expect(await laptop.jobctl(verb)).toMatchObject({ code: 0, stdout: 'namespace/lab\n', stderr: '' });
    } finally {
      delete laptop.env.SSL_CERT_FILE;
    }
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
    // A wrong token is refused on every connection, the later ones too (which could resume the
    // first one's TLS session: a resumed session carries no client certificate to trust).
    const agent = new Agent({ keepAlive: false, maxCachedSessions: 10 });
    const wrong = () =>
      new Promise<number>((done) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/api/v1/namespaces', ca: readFileSync(join(kube, 'ca.crt')), agent },
          (res) => (res.resume(), done(res.statusCode ?? 0)),
        );
        req.setHeader('Authorization', 'Bearer wrong');
        req.end();
      });
    expect([await wrong(), await wrong(), await wrong()]).toEqual([401, 401, 401]);
    const untrusted = await remote(['--context', 'untrusted', 'get', 'jobs']);
    expect(untrusted.stderr).toMatch(/^Unable to connect to the server: .*certificate/);
    expect(existsSync(join(laptop.dir, 'server.json'))).toBe(false);
  });
});
