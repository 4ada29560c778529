// A jobctl server standing in for a Kubernetes cluster (issue 15): one JOBCTL_HOME's server, with
// its own CA, trusts a client certificate that CA signed and records every request it gets
// (JOBCTL_AUDIT_LOG); a second JOBCTL_HOME, the laptop, which never starts a server of its own,
// reaches it through a kubeconfig with relative paths, as kubectl does.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Home } from './harness.js';
import { findKubectl } from './kubectl-harness.js';

export type Audited = { method: string; path: string; query: string; auth: string; authorized: boolean; sni: string };

export class StandInCluster {
  readonly cluster = new Home('500ms');
  readonly laptop = new Home('500ms');
  readonly kube = join(this.laptop.dir, 'kube');
  readonly config = join(this.kube, 'config');
  readonly audit = join(this.cluster.dir, 'audit.log');
  port = 0;

  /** Starts the cluster with namespace `lab`; `extra` adds kubeconfig clusters and contexts. */
  async start(
    extra: (server: string) => { clusters: string; contexts: string } = () => ({ clusters: '', contexts: '' }),
  ): Promise<void> {
    this.cluster.env.JOBCTL_AUDIT_LOG = this.audit;
    await this.cluster.ok(['create', 'namespace', 'lab']);
    this.port = JSON.parse(readFileSync(join(this.cluster.dir, 'server.json'), 'utf8')).port as number;
    const kube = this.kube;
    mkdirSync(kube, { recursive: true });
    copyFileSync(join(this.cluster.dir, 'ca.crt'), join(kube, 'ca.crt'));
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
      ['x509', '-req', '-in', join(kube, 'client.csr'), '-CA', join(this.cluster.dir, 'ca.crt')]
        .concat(['-CAkey', join(this.cluster.dir, 'ca.key'), '-days', '1', '-out', join(kube, 'client.crt')])
        .concat(['-extfile', join(kube, 'ext')]),
    );
    const server = `https://127.0.0.1:${this.port}`;
    const more = extra(server);
    // Relative paths: found from the kubeconfig's folder, as kubectl finds them.
    writeFileSync(
      this.config,
      `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: {server: "${server}", certificate-authority: ca.crt}
- name: lab-no-ca
  cluster: {server: "${server}"}
- name: lab-by-name
  cluster: {server: "${server}", certificate-authority: ca.crt, tls-server-name: localhost}
${more.clusters}contexts:
- name: lab
  context: {cluster: lab, user: tester, namespace: lab}
- name: anonymous
  context: {cluster: lab, user: nobody}
- name: untrusted
  context: {cluster: lab-no-ca, user: tester}
- name: named
  context: {cluster: lab-by-name, user: tester, namespace: lab}
${more.contexts}current-context: lab
users:
- name: tester
  user: {client-certificate: client.crt, client-key: client.key}
- name: nobody
  user: {}
`,
    );
  }

  /** What the cluster saw while `fn` ran, discovery and OpenAPI (kubectl's alone) aside. */
  async recorded(fn: () => Promise<unknown>): Promise<Audited[]> {
    writeFileSync(this.audit, '');
    await fn();
    return this.seen();
  }

  /** What the cluster saw since the log was last cleared. */
  seen(): Audited[] {
    return readFileSync(this.audit, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Audited)
      .filter(
        (r) =>
          !/^\/(api|apis|apis\/batch|api\/v1|apis\/batch\/v1|version)$/.test(r.path) && !r.path.startsWith('/openapi'),
      );
  }

  /** kubectl 1.32 on the laptop's kubeconfig: its output, never an exception. */
  async kubectl(
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    // Not execFileSync: a proxy or a watcher in this process must keep being served meanwhile.
    const all = { ...process.env, HOME: this.laptop.dir, ...env };
    return promisify(execFile)(findKubectl(), args, { env: all }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  }

  async cleanup(): Promise<void> {
    await this.laptop.cleanup();
    await this.cluster.cleanup();
  }
}
