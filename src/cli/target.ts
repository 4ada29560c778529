// Which server a command talks to. With no choice made, this JOBCTL_HOME's own (jobctl never
// reaches a cluster the user did not choose); else the kubeconfig context named by `--context`,
// the current context of the file given by `--kubeconfig`, JOBCTL_CONTEXT, or the one `jobctl
// config use-context` remembered in JOBCTL_HOME. The context `jobctl` is the local server.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { homePaths, jobctlHome, KubeconfigError, KUBECONFIG_NAME } from '../api/index.js';
import { loadKubeconfig, resolveTarget, type LoadedConfig } from '../api/kubeconfig-load.js';
import { kubeconfigEndpoint } from '../client/index.js';
import type { Io, Target } from './io.js';

export interface TargetFlags {
  context?: string;
  kubeconfig?: string;
}

/** kubectl's connection flags, over what the kubeconfig says. */
export interface ConnectionFlags extends TargetFlags {
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  as?: string;
  asGroup?: string[];
  requestTimeout?: string;
}

const TIMEOUT_ERROR =
  'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)';

/** `--request-timeout`: `0` (none), a number of seconds, or `1s`, `2m`, `3h`. */
export function parseRequestTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new KubeconfigError(TIMEOUT_ERROR);
  const ms = Number(m[1]) * ({ s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
  return ms || undefined;
}

export function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KubeconfigError(`error loading config file "${path}": ${(e as Error).message}`);
  }
}

/** The kubeconfig as kubectl would read it with these flags and this environment. */
export function loadConfig(io: Io, flags: TargetFlags): LoadedConfig {
  return loadKubeconfig({
    explicitPath: flags.kubeconfig,
    env: io.env,
    home: io.env.HOME || homedir(),
    read: readIfThere,
  });
}

/** The context `jobctl config use-context` chose, if any. */
export function rememberedContext(io: Io): string | undefined {
  return readIfThere(homePaths(jobctlHome(io.env)).context)?.trim() || undefined;
}

/**
 * The context chosen for this command, `jobctl` for the local server, or empty when a file
 * without a current context was given along with `--server` or `--cluster` (they name the cluster).
 */
export function chosenContext(io: Io, flags: ConnectionFlags, config?: () => LoadedConfig): string {
  if (flags.context) return flags.context;
  if (flags.kubeconfig) {
    const current = (config ?? (() => loadConfig(io, flags)))().currentContext;
    if (current || flags.server || flags.cluster) return current;
    throw new KubeconfigError(`current-context is not set in ${flags.kubeconfig}`);
  }
  return io.env.JOBCTL_CONTEXT || rememberedContext(io) || KUBECONFIG_NAME;
}

/**
 * The remote target of a command, or undefined for the local server: a chosen context, or the
 * local one with `--server` or `--cluster` (then those name the cluster, as they do for kubectl).
 */
export function selectTarget(io: Io, flags: ConnectionFlags): Target | undefined {
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) {
    throw new KubeconfigError(`stat ${flags.kubeconfig}: no such file or directory`);
  }
  const timeoutMs = parseRequestTimeout(flags.requestTimeout);
  let loaded: LoadedConfig | undefined;
  const config = () => (loaded ??= loadConfig(io, flags));
  const chosen = chosenContext(io, flags, config);
  const local = chosen === KUBECONFIG_NAME || chosen === '';
  if (local && !flags.server && !flags.cluster) return undefined;
  const context = local ? '' : chosen;
  const resolved = resolveTarget(config(), context, flags);
  const { cluster, user } = resolved;
  // Paths given on the command line are the working directory's, not a kubeconfig's.
  if (flags.certificateAuthority) {
    cluster['certificate-authority'] = resolve(flags.certificateAuthority);
    delete cluster['certificate-authority-data'];
  }
  if (flags.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  if (flags.tlsServerName) cluster['tls-server-name'] = flags.tlsServerName;
  if (flags.token) {
    user.token = flags.token;
    delete user.tokenFile;
  }
  if (flags.as) user.as = flags.as;
  if (flags.asGroup?.length) user['as-groups'] = flags.asGroup;
  const endpoint = kubeconfigEndpoint(resolved, io.env, Boolean(process.stdin.isTTY), timeoutMs);
  return { context: context || String(cluster.server), endpoint, namespace: resolved.namespace };
}
