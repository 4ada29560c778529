// The credentials a kubeconfig context gives a request, as client-go builds them: tokens (inline,
// from a file), Basic, an OIDC id-token, impersonation headers, client certificates, exec plugins
// (their environment and KUBERNETES_EXEC_INFO, caching until expiry, running again after a 401),
// and kubectl's refusals.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeconfigError } from '../../src/api/index.js';
import type { ResolvedTarget } from '../../src/api/kubeconfig-load.js';
import { kubeconfigEndpoint } from '../../src/client/endpoint.js';
import { ExecCredentialError } from '../../src/client/exec-credential.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('jobctl-endpoint-');
const target = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}): ResolvedTarget => ({
  context: 'c',
  clusterName: 'k',
  cluster: { server: 'https://127.0.0.1:6443', ...cluster },
  userName: 'u',
  user,
  clusterFile: join(dir, 'config'),
  userFile: join(dir, 'config'),
});
const headersOf = async (user: Record<string, unknown>) =>
  (await kubeconfigEndpoint(target(user), {}, false).credentials()).headers;
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as KubeconfigError;
  }
  throw new Error('not refused');
};

describe('kubeconfig credentials', () => {
  it('a token, a token file (relative to the kubeconfig), Basic, an OIDC id-token, impersonation', async () => {
    expect(await headersOf({ token: 't1' })).toEqual({ Authorization: 'Bearer t1' });
    writeFileSync(join(dir, 'tok'), 't2\n');
    expect(await headersOf({ tokenFile: 'tok' })).toEqual({ Authorization: 'Bearer t2' });
    expect(await headersOf({ username: 'bob', password: 'pw' })).toEqual({
      Authorization: `Basic ${Buffer.from('bob:pw').toString('base64')}`,
    });
    expect(await headersOf({ 'auth-provider': { name: 'oidc', config: { 'id-token': 'jwt' } } })).toEqual({
      Authorization: 'Bearer jwt',
    });
    expect(await headersOf({ token: 't', as: 'admin', 'as-groups': ['a', 'b'], 'as-uid': '7' })).toEqual({
      Authorization: 'Bearer t',
      'Impersonate-User': 'admin',
      'Impersonate-Group': ['a', 'b'],
      'Impersonate-Uid': '7',
    });
  });

  it('refuses as kubectl does: two methods, removed providers, files it cannot read', () => {
    expect(
      refusal(() => kubeconfigEndpoint(target({ token: 't', username: 'a', password: 'b' }), {}, false)).message,
    ).toBe('more than one authentication method found for u; found [token basicAuth], only one is allowed');
    expect(refusal(() => kubeconfigEndpoint(target({ 'auth-provider': { name: 'gcp' } }), {}, false)).message).toMatch(
      /^The gcp auth plugin has been removed\.\nPlease use the "gke-gcloud-auth-plugin"/,
    );
    const unreadable = refusal(() =>
      kubeconfigEndpoint(target({ 'client-certificate': 'missing.crt', 'client-key': '/abs/missing.key' }), {}, false),
    );
    expect(unreadable).toBeInstanceOf(KubeconfigError);
    expect(unreadable.inConfiguration).toBe(true);
    expect(unreadable.message).toBe(
      `\n* unable to read client-cert ${dir}/missing.crt for u due to open ${dir}/missing.crt: no such file or directory` +
        `\n* unable to read client-key /abs/missing.key for u due to open /abs/missing.key: no such file or directory`,
    );
  });

  it('client certificates and the CA from data or files; SNI and insecure from the cluster', async () => {
    writeFileSync(join(dir, 'client.crt'), 'CERT');
    const ep = kubeconfigEndpoint(
      target(
        { 'client-certificate': 'client.crt', 'client-key-data': Buffer.from('KEY').toString('base64') },
        { 'certificate-authority-data': Buffer.from('CA').toString('base64'), 'tls-server-name': 'api.example' },
      ),
      {},
      false,
    );
    const cred = await ep.credentials();
    expect([cred.cert?.toString(), cred.key?.toString(), ep.ca?.toString(), ep.servername]).toEqual([
      'CERT',
      'KEY',
      'CA',
      'api.example',
    ]);
    expect(ep.local).toBe(false);
  });

  it('an exec plugin: its args, env and KUBERNETES_EXEC_INFO; its token kept until it expires; again after a 401', async () => {
    const log = join(dir, 'runs');
    writeFileSync(log, '');
    const script = join(dir, 'plugin.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '%s\\n' "$* $GREETING $KUBERNETES_EXEC_INFO" >> "${log}"\nn=$(grep -c '^--region' "${log}")\n` +
        `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-'$n'"}}'\n`,
      { mode: 0o755 },
    );
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: './plugin.sh', // relative with a slash: from the kubeconfig's folder
      args: ['--region', 'x'],
      env: [{ name: 'GREETING', value: 'hi' }],
      interactiveMode: 'Never',
      provideClusterInfo: true,
    };
    const ep = kubeconfigEndpoint(
      target({ exec }, { 'certificate-authority-data': Buffer.from('CA').toString('base64') }),
      {},
      false,
    );
    expect((await ep.credentials()).headers).toEqual({ Authorization: 'Bearer tok-1' });
    expect((await ep.credentials()).headers).toEqual({ Authorization: 'Bearer tok-1' }); // cached
    expect(await ep.renew()).toBe(true); // a 401
    expect((await ep.credentials()).headers).toEqual({ Authorization: 'Bearer tok-2' });
    const [first] = readFileSync(log, 'utf8').split('\n');
    const info = JSON.parse(first.slice(first.indexOf('{')));
    // KUBERNETES_EXEC_INFO ends with the newline Go's encoder writes, as kubectl's does.
    expect(readFileSync(log, 'utf8').split('\n')[1]).toBe('');
    expect(first.startsWith('--region x hi ')).toBe(true);
    expect(info).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: {
        cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=', config: null },
        interactive: false,
      },
    });
    const missing = kubeconfigEndpoint(
      target({ exec: { ...exec, command: 'no-such-login', installHint: 'install no-such-login' } }),
      {},
      false,
    );
    await expect(missing.credentials()).rejects.toThrow(
      new ExecCredentialError('getting credentials: exec: executable no-such-login not found\n\ninstall no-such-login'),
    );
    const noMode = kubeconfigEndpoint(target({ exec: { ...exec, interactiveMode: undefined } }), {}, false);
    await expect(noMode.credentials()).rejects.toThrow(
      'interactiveMode must be specified for u to use exec authentication plugin',
    );
  });
});
