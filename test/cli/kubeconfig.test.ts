import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeconfigYaml, mergeKubeconfig } from '../../src/api/index.js';
import { kubeconfigTarget } from '../../src/cli/kubeconfig.js';
import type { Connection } from '../../src/client/index.js';

const conn: Connection = { port: 40123, token: 'tok', home: '/h', ca: Buffer.from('-----BEGIN CERTIFICATE-----\n') };
const b64 = conn.ca.toString('base64');

describe('jobctl kubeconfig', () => {
  it('prints a whole kubeconfig: cluster with the CA inline, user with the token, context jobctl in default', () => {
    expect(parse(kubeconfigYaml(conn))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'jobctl', cluster: { server: 'https://127.0.0.1:40123', 'certificate-authority-data': b64 } }],
      contexts: [{ name: 'jobctl', context: { cluster: 'jobctl', user: 'jobctl', namespace: 'default' } }],
      'current-context': 'jobctl',
      preferences: {},
      users: [{ name: 'jobctl', user: { token: 'tok' } }],
    });
  });

  it('merges into the file: its own entries replaced, the others and their comments kept', () => {
    const file = `# my clusters
apiVersion: v1
kind: Config
clusters:
- name: prod # the real one
  cluster: {server: 'https://prod.example:6443'}
- name: jobctl
  cluster: {server: 'https://127.0.0.1:1'}
contexts:
- name: prod
  context: {cluster: prod, user: admin}
current-context: prod
users:
- name: admin
  user: {token: t}
`;
    const merged = mergeKubeconfig(file, conn, 'f');
    expect(merged).toContain('# my clusters');
    expect(merged).toContain('- name: prod # the real one');
    const doc = parse(merged);
    expect(doc.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'jobctl']);
    expect(doc.clusters[1].cluster.server).toBe('https://127.0.0.1:40123');
    expect(doc.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'jobctl']);
    expect(doc.users.map((u: { name: string }) => u.name)).toEqual(['admin', 'jobctl']);
    expect(doc['current-context']).toBe('jobctl');
  });

  it('starts a missing or empty file; refuses one that is not a kubeconfig, naming it', () => {
    expect(parse(mergeKubeconfig('', conn, 'f'))).toEqual(parse(kubeconfigYaml(conn)));
    expect(() => mergeKubeconfig('- a\n- b\n', conn, '/k/config')).toThrow('/k/config: not a kubeconfig');
    expect(() => mergeKubeconfig('clusters: {a: 1}\n', conn, '/k/config')).toThrow('/k/config: clusters is not a list');
    expect(() => mergeKubeconfig('a: [\n', conn, '/k/config')).toThrow(/^\/k\/config: /);
  });

  it("writes where kubectl would: KUBECONFIG's first file, else ~/.kube/config", () => {
    expect(kubeconfigTarget({ KUBECONFIG: '::/a/one:/b/two', HOME: '/home/u' })).toBe('/a/one');
    expect(kubeconfigTarget({ HOME: '/home/u' })).toBe('/home/u/.kube/config');
    expect(kubeconfigTarget({ KUBECONFIG: '', HOME: '/home/u' })).toBe('/home/u/.kube/config');
  });
});
