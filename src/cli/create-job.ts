// `jobctl create job NAME --image=IMG -- CMD ARGS...` and `jobctl create namespace NAME`: the
// objects kubectl builds.
import { admitCreate, mustResource, type ApiObject, type Job } from '../api/index.js';
import { kindSlashName } from '../print/output.js';
import { applyNamespace, printObjects, type DryRun, type OutputFormat } from './apply.js';
import { apiPath, connect } from './context.js';
import { CliError, type Io, warn } from './io.js';

export interface CreateOptions {
  dryRun: DryRun;
  output: OutputFormat;
  namespace?: string;
}

export interface CreateJobOptions extends CreateOptions {
  name: string;
  image?: string;
  from?: string;
  command: string[];
}

export function buildJob(name: string, image: string, command: string[]): Job {
  const container: Job['spec']['template']['spec']['containers'][number] = { name, image, resources: {} };
  if (command.length > 0) container.command = command;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { metadata: {}, spec: { containers: [container], restartPolicy: 'Never' } } },
  };
}

export async function runCreateJob(opts: CreateJobOptions, io: Io): Promise<void> {
  if (opts.from) throw new CliError('--from is not supported: jobctl has no CronJobs');
  if (!opts.image) throw new CliError('--image must be specified');
  if (!opts.name) throw new CliError('NAME is required');
  const job = buildJob(opts.name, opts.image, opts.command);
  applyNamespace(job, opts.namespace);
  await createBuilt(job, opts, io);
}

/** `jobctl create namespace NAME`. */
export async function runCreateNamespace(opts: CreateOptions & { name: string }, io: Io): Promise<void> {
  if (!opts.name) throw new CliError('NAME is required');
  await createBuilt({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: opts.name } }, opts, io);
}

/** Creates an object a `create` subcommand built (or, with --dry-run=client, shows it). */
async function createBuilt(obj: ApiObject, opts: CreateOptions, io: Io): Promise<void> {
  if (opts.dryRun !== 'client') {
    const client = await connect(io);
    const r = mustResource(obj.kind);
    const ns = obj.metadata.namespace ?? 'default';
    const created = await client.call<ApiObject>(
      'POST',
      `${apiPath(r.plural, ns)}?${new URLSearchParams({ ...(opts.dryRun === 'server' ? { dryRun: 'All' } : {}), fieldManager: 'kubectl-create' })}`,
      obj,
    );
    warn(io, created.warnings);
    if (opts.output === 'name') io.out(`${kindSlashName(created.body)}\n`);
    else if (opts.output) await printObjects([created.body], opts.output, io);
    else io.out(`${kindSlashName(created.body)} created${opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
    return;
  }
  // Validate as the server would, but print what kubectl builds: the object a user saves as a manifest.
  const { warnings } = admitCreate(obj, new Date());
  // Validated here all the same; the warnings are about the local engine, not a cluster.
  if (!io.target) warn(io, warnings);
  if (opts.output === 'name') io.out(`${kindSlashName(obj)}\n`);
  else if (opts.output) await printObjects([obj], opts.output, io);
  else io.out(`${kindSlashName(obj)} created (dry run)\n`);
}
