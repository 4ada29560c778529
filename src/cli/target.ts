// Which server a command talks to. With no choice made, this JOBCTL_HOME's own (jobctl never
// reaches a cluster the user did not choose); else the kubeconfig context named by `--context`,
// the current context of the file given by `--kubeconfig`, JOBCTL_CONTEXT, or the one `jobctl
// config use-context` remembered in JOBCTL_HOME. The context `jobctl` is the local server.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { homePaths, jobctlHome, KubeconfigError, KUBECONFIG_NAME } from '../api/index.js';
import { loadKubeconfig, resolveTarget, type LoadedConfig } from '../api/kubeconfig-load.js';
import { kubeconfigEndpoint } from '../client/index.js';
import type { Io, Target } from './io.js';

export interface TargetFlags {
  context?: string;
  kubeconfig?: string;
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

/** The context chosen for this command, or `jobctl` for the local server. */
export function chosenContext(io: Io, flags: TargetFlags, config?: () => LoadedConfig): string {
  if (flags.context) return flags.context;
  if (flags.kubeconfig) {
    const current = (config ?? (() => loadConfig(io, flags)))().currentContext;
    if (!current) throw new KubeconfigError(`current-context is not set in ${flags.kubeconfig}`);
    return current;
  }
  return io.env.JOBCTL_CONTEXT || rememberedContext(io) || KUBECONFIG_NAME;
}

/** The remote target of a command, or undefined for the local server. */
export function selectTarget(io: Io, flags: TargetFlags): Target | undefined {
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) {
    throw new KubeconfigError(`stat ${flags.kubeconfig}: no such file or directory`);
  }
  let loaded: LoadedConfig | undefined;
  const config = () => (loaded ??= loadConfig(io, flags));
  const context = chosenContext(io, flags, config);
  if (context === KUBECONFIG_NAME) return undefined;
  const resolved = resolveTarget(config(), context);
  const endpoint = kubeconfigEndpoint(resolved, io.env, Boolean(process.stdin.isTTY));
  return { context, endpoint, namespace: resolved.namespace };
}
