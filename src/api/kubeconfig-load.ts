// Reading kubeconfig files as client-go's loading rules do (kubectl is the oracle): which files,
// how several merge, the current context, `--minify`, and kubectl's redaction for `config view`.
// Paths are kept as written here (as `kubectl config view` shows them); a connection will resolve
// them against the folder of the file that held them (`sources`).
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { KubeconfigError } from './kubeconfig.js';
import { isObj, type Obj } from './patch.js';

/** A kubeconfig after loading: its entries by name, each remembering the file it came from. */
export interface LoadedConfig {
  preferences: Obj;
  clusters: Map<string, Obj>;
  users: Map<string, Obj>;
  contexts: Map<string, Obj>;
  currentContext: string;
  /** Where each entry was read (`clusters/NAME` → file), for its relative paths. */
  sources: Map<string, string>;
}

export interface LoadOptions {
  /** `--kubeconfig`: this file only. */
  explicitPath?: string;
  env: NodeJS.ProcessEnv;
  /** The user's home (`~/.kube/config`). */
  home: string;
  /** A file's text, or undefined when there is none. */
  read: (path: string) => string | undefined;
}

/** The files to read, in precedence order: `--kubeconfig`, else KUBECONFIG's list, else ~/.kube/config. */
export function kubeconfigFiles(opts: Pick<LoadOptions, 'explicitPath' | 'env' | 'home'>): string[] {
  if (opts.explicitPath) return [opts.explicitPath];
  const list = (opts.env.KUBECONFIG ?? '').split(':').filter((p) => p !== '');
  if (list.length) return [...new Set(list)];
  return [join(opts.home, '.kube', 'config')];
}

const LISTS = [
  ['clusters', 'Cluster'],
  ['users', 'AuthInfo'],
  ['contexts', 'Context'],
] as const;

/** Loads and merges: the first file to name an entry wins it whole; `current-context` likewise. */
export function loadKubeconfig(opts: LoadOptions): LoadedConfig {
  const out: LoadedConfig = {
    preferences: {},
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: '',
    sources: new Map(),
  };
  for (const file of kubeconfigFiles(opts)) {
    const text = opts.read(file);
    if (text === undefined) continue; // a missing file is no error, even when named by --kubeconfig
    const doc = parseDocument(text, { version: '1.1' });
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw new KubeconfigError(`error loading config file "${file}": ${e.message.split('\n')[0]}`);
    }
    const raw = doc.toJS() as unknown;
    if (raw === null || raw === undefined) continue;
    if (!isObj(raw)) throw new KubeconfigError(`error loading config file "${file}": not a kubeconfig`);
    for (const [key, type] of LISTS) {
      const list = raw[key];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw new KubeconfigError(`error loading config file "${file}": ${key} is not a list`);
      const seen = new Set<string>();
      for (const item of list as unknown[]) {
        const name = isObj(item) && typeof item.name === 'string' ? item.name : '';
        if (seen.has(name)) {
          throw new KubeconfigError(
            `error loading config file "${file}": error converting *[]Named${type} into *map[string]*api.${type}: duplicate name "${name}" in list`,
          );
        }
        seen.add(name);
        const map = out[key];
        if (map.has(name)) continue;
        const body = isObj(item) ? item[key === 'users' ? 'user' : key.slice(0, -1)] : undefined;
        map.set(name, isObj(body) ? body : {});
        out.sources.set(`${key}/${name}`, file);
      }
    }
    if (!out.currentContext && typeof raw['current-context'] === 'string') out.currentContext = raw['current-context'];
    if (isObj(raw.preferences)) out.preferences = { ...raw.preferences, ...out.preferences };
  }
  return out;
}

/** `--minify`: only the context in use, its cluster and its user. */
export function minify(config: LoadedConfig, context?: string): LoadedConfig {
  const name = context || config.currentContext;
  if (!name) throw new KubeconfigError('current-context must exist in order to minify');
  const ctx = config.contexts.get(name);
  if (!ctx) throw new KubeconfigError(`cannot locate context ${name}`);
  const only = (m: Map<string, Obj>, key: unknown) =>
    new Map([...m].filter(([n]) => typeof key === 'string' && n === key));
  return {
    ...config,
    currentContext: name,
    contexts: new Map([[name, ctx]]),
    clusters: only(config.clusters, ctx.cluster),
    users: only(config.users, ctx.user),
  };
}

// The fields of each part in client-go's v1 order, with whether an empty value is still shown.
const CLUSTER = [
  'server',
  'tls-server-name',
  'insecure-skip-tls-verify',
  'certificate-authority',
  'certificate-authority-data',
  'proxy-url',
  'disable-compression',
  'extensions',
];
const USER = [
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'as',
  'as-uid',
  'as-groups',
  'as-user-extra',
  'username',
  'password',
  'auth-provider',
  'exec',
  'extensions',
];
const CONTEXT = ['cluster', 'user', 'namespace', 'extensions'];
const EXEC_ALWAYS = ['command', 'args', 'env', 'apiVersion', 'provideClusterInfo'];
const EXEC = ['command', 'args', 'env', 'apiVersion', 'installHint', 'provideClusterInfo', 'interactiveMode'];

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0);

/** What Go prints for a field without `omitempty` that is not set. */
const ZERO: Obj = { provideClusterInfo: false, args: null, env: null };

/** The fields in order: those in `always` even when empty (Go's fields without `omitempty`). */
function ordered(o: Obj, fields: string[], always: string[] = []): Obj {
  const out: Obj = {};
  for (const f of fields) {
    const v = o[f];
    if (always.includes(f)) out[f] = v ?? (f in ZERO ? ZERO[f] : '');
    else if (!isEmpty(v)) out[f] = v;
  }
  return out;
}

function execOf(e: Obj): Obj {
  const apiVersion = String(e.apiVersion ?? '');
  const beta = apiVersion.endsWith('/v1beta1') || apiVersion.endsWith('/v1alpha1');
  const withDefault = { ...e, interactiveMode: e.interactiveMode || (beta ? 'IfAvailable' : undefined) };
  return ordered(withDefault, EXEC, EXEC_ALWAYS);
}

function userOf(u: Obj, raw: boolean): Obj {
  const out = ordered(u, USER);
  if (isObj(out['auth-provider'])) {
    const ap = out['auth-provider'] as Obj;
    out['auth-provider'] = ordered(ap, ['name', 'config']);
    if (isObj(ap.config)) (out['auth-provider'] as Obj).config = sortedObj(ap.config);
  }
  if (isObj(out.exec)) out.exec = execOf(out.exec);
  if (!raw) {
    for (const f of ['client-certificate-data', 'client-key-data']) if (out[f]) out[f] = 'DATA+OMITTED';
    for (const f of ['token', 'password']) if (out[f]) out[f] = 'REDACTED';
  }
  return out;
}

const sortedObj = (o: Obj): Obj =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );

/** The config as `kubectl config view` prints it (`-o json` order; `raw` keeps secrets). */
export function viewOf(config: LoadedConfig, raw: boolean): Obj {
  const list = (m: Map<string, Obj>, key: string, shape: (o: Obj) => Obj) =>
    m.size ? [...m.keys()].sort().map((name) => ({ name, [key]: shape(m.get(name)!) })) : null;
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: ordered(config.preferences, ['colors', 'extensions']),
    clusters: list(config.clusters, 'cluster', (c) => {
      const out = ordered(c, CLUSTER, ['server']);
      if (!raw && out['certificate-authority-data']) out['certificate-authority-data'] = 'DATA+OMITTED';
      return out;
    }),
    users: list(config.users, 'user', (u) => userOf(u, raw)),
    contexts: list(config.contexts, 'context', (c) => ordered(c, CONTEXT, ['cluster', 'user'])),
    'current-context': config.currentContext,
  };
}

/** What a context names, ready to connect: its cluster and user, and the files that held them. */
export interface ResolvedTarget {
  context: string;
  namespace?: string;
  clusterName: string;
  cluster: Obj;
  userName: string;
  user: Obj;
  clusterFile?: string;
  userFile?: string;
}

/** kubectl's `--cluster`, `--user` and `--server`: another entry than the context's, or a server of its own. */
export interface TargetOverrides {
  cluster?: string;
  user?: string;
  server?: string;
}

/**
 * The context's cluster and user (`context` empty: none, only the overrides); refuses a context,
 * cluster, user or server that is not there, in kubectl's words.
 */
export function resolveTarget(config: LoadedConfig, context: string, over: TargetOverrides = {}): ResolvedTarget {
  const ctx = context ? config.contexts.get(context) : {};
  if (!ctx) throw new KubeconfigError(`context was not found for specified context: ${context}`, true);
  const clusterName = over.cluster ?? (typeof ctx.cluster === 'string' ? ctx.cluster : '');
  const cluster = { ...config.clusters.get(clusterName) };
  if (over.server) cluster.server = over.server;
  if (!cluster.server) throw new KubeconfigError(`no server found for cluster "${clusterName}"`);
  const userName = over.user ?? (typeof ctx.user === 'string' ? ctx.user : '');
  if (over.user !== undefined && !config.users.has(over.user))
    throw new KubeconfigError(`auth info "${over.user}" does not exist`);
  return {
    context,
    namespace: typeof ctx.namespace === 'string' && ctx.namespace ? ctx.namespace : undefined,
    clusterName,
    cluster,
    userName,
    user: { ...config.users.get(userName) },
    clusterFile: config.sources.get(`clusters/${clusterName}`),
    userFile: config.sources.get(`users/${userName}`),
  };
}
