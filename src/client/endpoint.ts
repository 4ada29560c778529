// Where the CLI's requests go and with what credentials: this JOBCTL_HOME's server (its CA, its
// token), or the cluster of a kubeconfig context (its CA or the system's, SNI, client
// certificates, a token or token file, Basic, an OIDC id-token, impersonation, exec plugins).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { KubeconfigError } from '../api/index.js';
import type { ResolvedTarget } from '../api/kubeconfig-load.js';
import { runExecPlugin, type ExecResult } from './exec-credential.js';
import type { Connection } from './server-process.js';

type Obj = Record<string, unknown>;

export interface Credentials {
  headers: Record<string, string | string[]>;
  cert?: Buffer;
  key?: Buffer;
}

export interface Endpoint {
  /** This JOBCTL_HOME's own server (started when none answers), or a cluster. */
  local: boolean;
  /** `https://host:port` and any path prefix before `/api`. */
  server: URL;
  /** The CAs trusted; undefined: the system's. */
  ca?: Buffer;
  servername?: string;
  insecure?: boolean;
  /** A kubeconfig's `proxy-url`: requests tunnel through it (CONNECT). */
  proxy?: URL;
  /** `--request-timeout`: how long a request may wait for its answer. */
  timeoutMs?: number;
  credentials(): Promise<Credentials>;
  /** After a 401: whether new credentials were obtained (an exec plugin runs again). */
  renew(): Promise<boolean>;
}

export function localEndpoint(c: Connection): Endpoint {
  const credentials = { headers: { Authorization: `Bearer ${c.token}` } };
  return {
    local: true,
    server: new URL(`https://127.0.0.1:${c.port}`),
    ca: c.ca,
    credentials: async () => credentials,
    renew: async () => false,
  };
}

const REMOVED_PROVIDERS: Record<string, string> = {
  gcp: 'The gcp auth plugin has been removed.\nPlease use the "gke-gcloud-auth-plugin" kubectl/client-go credential plugin instead.\nSee https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke for further details',
  azure:
    'The azure auth plugin has been removed.\nPlease use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead.\nSee https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins for further details',
};

/** A kubeconfig path, relative to the folder of the file that held it. */
const pathFrom = (file: string | undefined, p: string): string =>
  isAbsolute(p) || !file ? p : resolve(dirname(file), p);

/** A kubeconfig address; one without a scheme gets `scheme` (client-go takes `host:port` for https). */
function urlOf(field: string, value: unknown, scheme: string): URL {
  const text = String(value);
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${scheme}${text}`);
  } catch {
    throw new KubeconfigError(`invalid ${field} "${text}"`, true);
  }
}

/** The endpoint of a kubeconfig context; reads its files now, runs an exec plugin at the first request. */
/** Where Go (and so kubectl) finds the system's trusted roots on Linux, in its order. */
const SYSTEM_ROOT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/**
 * The roots a cluster with no certificate authority of its own is checked against: the system's,
 * as kubectl uses them (`SSL_CERT_FILE`, else the first bundle found; and the files of the
 * folders in `SSL_CERT_DIR`), so that a company CA the system trusts is trusted here too. With
 * none found, Node's own roots.
 */
function systemRoots(env: NodeJS.ProcessEnv): Buffer | undefined {
  const readable = (f: string) => {
    try {
      return readFileSync(f);
    } catch {
      return undefined;
    }
  };
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : SYSTEM_ROOT_FILES;
  const found: Buffer[] = [];
  for (const f of files) {
    const pem = readable(f);
    if (pem) {
      found.push(pem);
      break;
    }
  }
  for (const dir of (env.SSL_CERT_DIR ?? '').split(':').filter(Boolean)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const pem = readable(resolve(dir, n));
      if (pem?.includes('-----BEGIN CERTIFICATE-----')) found.push(pem);
    }
  }
  return found.length ? Buffer.concat(found.flatMap((b) => [b, Buffer.from('\n')])) : undefined;
}

export function kubeconfigEndpoint(
  t: ResolvedTarget,
  env: NodeJS.ProcessEnv,
  interactive: boolean,
  timeoutMs?: number,
): Endpoint {
  const { cluster, user } = t;
  const problems: string[] = [];
  const read = (what: string, field: string, value: unknown, file: string | undefined): Buffer | undefined => {
    if (typeof value !== 'string' || !value) return undefined;
    const path = pathFrom(file, value);
    try {
      return readFileSync(path);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message;
      problems.push(`unable to read ${what} ${path} for ${field} due to open ${path}: ${why}`);
      return undefined;
    }
  };
  const data = (v: unknown) => (typeof v === 'string' && v ? Buffer.from(v, 'base64') : undefined);
  const ca =
    data(cluster['certificate-authority-data']) ??
    read('certificate-authority', t.clusterName, cluster['certificate-authority'], t.clusterFile);
  const cert =
    data(user['client-certificate-data']) ?? read('client-cert', t.userName, user['client-certificate'], t.userFile);
  const key = data(user['client-key-data']) ?? read('client-key', t.userName, user['client-key'], t.userFile);
  const tokenFile = read('token-file', t.userName, user.tokenFile, t.userFile);
  if (problems.length) throw new KubeconfigError(`\n${problems.map((p) => `* ${p}`).join('\n')}`, true);

  const provider = user['auth-provider'] as Obj | undefined;
  if (provider && REMOVED_PROVIDERS[String(provider.name)])
    throw new KubeconfigError(REMOVED_PROVIDERS[String(provider.name)]);
  if (provider && provider.name !== 'oidc')
    throw new KubeconfigError(`no Auth Provider found for name "${String(provider.name)}"`);
  const bearer =
    tokenFile?.toString('utf8').trim() ||
    (typeof user.token === 'string' ? user.token : '') ||
    (provider ? String((provider.config as Obj | undefined)?.['id-token'] ?? '') : '');
  const basic =
    typeof user.username === 'string' && user.username ? `${user.username}:${String(user.password ?? '')}` : '';
  // As client-go counts them: an exec plugin or auth provider may come with either.
  const methods = [(user.token || user.tokenFile) && 'token', basic && 'basicAuth'].filter(Boolean);
  if (methods.length > 1) {
    throw new KubeconfigError(
      `more than one authentication method found for ${t.userName}; found [${methods.join(' ')}], only one is allowed`,
    );
  }
  const impersonation: Record<string, string | string[]> = {};
  if (user.as) impersonation['Impersonate-User'] = String(user.as);
  if (Array.isArray(user['as-groups']) && user['as-groups'].length)
    impersonation['Impersonate-Group'] = (user['as-groups'] as unknown[]).map(String);
  if (user['as-uid']) impersonation['Impersonate-Uid'] = String(user['as-uid']);

  const exec = user.exec as Obj | undefined;
  let fromExec: ExecResult | undefined;
  let running: Promise<void> | undefined;
  // Requests made at once wait for one run of the plugin.
  const runExec = () =>
    (running ??= runExecPlugin(exec!, { userName: t.userName, file: t.userFile, cluster, ca, interactive, env })
      .then((r) => void (fromExec = r))
      .finally(() => (running = undefined)));
  const credentials = async (): Promise<Credentials> => {
    const headers: Record<string, string | string[]> = { ...impersonation };
    if (exec && !bearer && (!fromExec || (fromExec.expiresAt !== undefined && fromExec.expiresAt <= Date.now()))) {
      await runExec();
    }
    const token = bearer || fromExec?.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (basic) headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    return { headers, cert: fromExec?.cert ?? cert, key: fromExec?.key ?? key };
  };
  return {
    local: false,
    server: urlOf('server', cluster.server, 'https://'),
    ca: ca ?? systemRoots(env),
    servername: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    insecure: cluster['insecure-skip-tls-verify'] === true,
    proxy: cluster['proxy-url'] ? urlOf('proxy-url', cluster['proxy-url'], 'http://') : undefined,
    timeoutMs,
    credentials,
    renew: async () => {
      if (!exec || bearer) return false;
      await runExec();
      return true;
    },
  };
}
