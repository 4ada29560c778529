// `jobctl config view`: the kubeconfig as jobctl reads it (client-go's loading rules), printed as
// kubectl prints it. The first step of reaching clusters (issue 15): what is resolved is shown;
// nothing connects to a cluster yet.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { KubeconfigError } from '../api/index.js';
import { loadKubeconfig, minify, viewOf } from '../api/kubeconfig-load.js';
import { toYaml } from '../print/output.js';
import { CliError, type Io } from './io.js';

export interface ConfigViewOptions {
  kubeconfig?: string;
  context?: string;
  minify?: boolean;
  raw?: boolean;
  output?: string;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`error loading config file "${path}": ${(e as Error).message}`);
  }
}

export async function runConfigView(opts: ConfigViewOptions, io: Io): Promise<void> {
  const output = opts.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') {
    throw new CliError(
      `unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`,
    );
  }
  let view: object;
  try {
    const loaded = loadKubeconfig({
      explicitPath: opts.kubeconfig,
      env: io.env,
      home: io.env.HOME || homedir(),
      read: readIfThere,
    });
    view = viewOf(opts.minify ? minify(loaded, opts.context) : loaded, Boolean(opts.raw));
  } catch (e) {
    if (e instanceof KubeconfigError) throw new CliError(e.message);
    throw e;
  }
  io.out(output === 'json' ? `${JSON.stringify(view, null, 4)}\n` : await toYaml(view));
}
