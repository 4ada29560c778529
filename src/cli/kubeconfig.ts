// `jobctl kubeconfig [--merge]`: a kubeconfig for the local server (its CA inline, the token,
// context `jobctl` with namespace `default`), printed, or merged into the file kubectl writes to
// (KUBECONFIG's first file, else ~/.kube/config) as `kind export kubeconfig` does: the `jobctl`
// cluster, user and context added or replaced, every other entry left as it was, and the current
// context set to `jobctl`. The server keeps its port and CA, so the file keeps working.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { KUBECONFIG_NAME, KubeconfigError, kubeconfigYaml, mergeKubeconfig } from '../api/index.js';
import { kubeconfigFiles } from '../api/kubeconfig-load.js';
import { ensureServer, ServerUnavailableError, type Connection } from '../client/index.js';
import { CliError, type Io } from './io.js';

/** The file kubectl writes to: KUBECONFIG's first path, else ~/.kube/config (the first it reads). */
export function kubeconfigTarget(env: NodeJS.ProcessEnv): string {
  return kubeconfigFiles({ env, home: env.HOME || homedir() })[0];
}

export async function runKubeconfig(opts: { merge?: boolean }, io: Io): Promise<void> {
  let c: Connection;
  try {
    c = await ensureServer(io.env);
  } catch (e) {
    if (e instanceof ServerUnavailableError) throw new CliError(e.message);
    throw e;
  }
  if (!opts.merge) {
    io.out(kubeconfigYaml(c));
    return;
  }
  const file = kubeconfigTarget(io.env);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`${file}: ${(e as Error).message}`);
  }
  let merged: string;
  try {
    merged = mergeKubeconfig(text, c, file);
  } catch (e) {
    if (e instanceof KubeconfigError) throw new CliError(e.message);
    throw e;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.jobctl-${process.pid}`;
  writeFileSync(tmp, merged, { mode: 0o600 });
  renameSync(tmp, file);
  io.err(`Set kubectl context to "${KUBECONFIG_NAME}" in ${file}\n`);
}
