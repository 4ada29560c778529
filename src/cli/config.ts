// `jobctl config`: which target commands use (the local server, or a kubeconfig context), and the
// kubeconfig as jobctl reads it, printed as kubectl prints it (client-go's loading rules).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homePaths, jobctlHome, KubeconfigError, KUBECONFIG_NAME } from '../api/index.js';
import { minify, viewOf } from '../api/kubeconfig-load.js';
import { toYaml } from '../print/output.js';
import { CliError, type Io } from './io.js';
import { chosenContext, loadConfig, type TargetFlags } from './target.js';

export interface ConfigViewOptions extends TargetFlags {
  minify?: boolean;
  raw?: boolean;
  output?: string;
}

/** Runs `fn`, turning a kubeconfig problem into the CLI's error. */
function withConfig<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KubeconfigError && !e.inConfiguration) throw new CliError(e.message);
    throw e;
  }
}

export async function runConfigView(opts: ConfigViewOptions, io: Io): Promise<void> {
  const output = opts.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') {
    throw new CliError(
      `unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`,
    );
  }
  const view = withConfig(() => {
    const loaded = loadConfig(io, opts);
    return viewOf(opts.minify ? minify(loaded, opts.context) : loaded, Boolean(opts.raw));
  });
  io.out(output === 'json' ? `${JSON.stringify(view, null, 4)}\n` : await toYaml(view));
}

/** Remembers the context in JOBCTL_HOME (never in the user's kubeconfig); `jobctl` is the local server. */
export function runUseContext(name: string, opts: TargetFlags, io: Io): void {
  const file = homePaths(jobctlHome(io.env)).context;
  if (name === KUBECONFIG_NAME) rmSync(file, { force: true });
  else {
    const known = withConfig(() => loadConfig(io, opts).contexts.has(name));
    if (!known) throw new CliError(`no context exists with the name: "${name}"`);
    mkdirSync(jobctlHome(io.env), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${name}\n`, { mode: 0o600 });
  }
  io.out(`Switched to context "${name}".\n`);
}

export function runCurrentContext(opts: TargetFlags, io: Io): void {
  io.out(`${withConfig(() => chosenContext(io, opts))}\n`);
}

/** The local server's row, then every kubeconfig context, as kubectl's `config get-contexts` prints them. */
export function runGetContexts(opts: TargetFlags, io: Io): void {
  const { config, current } = withConfig(() => {
    const config = loadConfig(io, opts);
    return { config, current: chosenContext(io, opts, () => config) };
  });
  const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
  const names = [...new Set([KUBECONFIG_NAME, ...config.contexts.keys()])].sort();
  for (const name of names) {
    const c = config.contexts.get(name) ?? { cluster: KUBECONFIG_NAME, user: KUBECONFIG_NAME, namespace: 'default' };
    const cell = (v: unknown) => (typeof v === 'string' ? v : '');
    rows.push([name === current ? '*' : '', name, cell(c.cluster), cell(c.user), cell(c.namespace)]);
  }
  // kubectl's tabwriter: three spaces after each column but the last.
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  io.out(rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] + 3) : c)).join('')).join('\n') + '\n');
}
