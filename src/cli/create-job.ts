// `jobctl create job NAME --image=IMG -- CMD ARGS...`: the Job kubectl builds.
import { admitCreate, type Job } from '../api/index.js';
import { kindSlashName } from '../print/output.js';
import { applyNamespace, printObjects, type DryRun, type OutputFormat } from './apply.js';
import { apiPath, connect } from './context.js';
import { CliError, type Io } from './io.js';

export interface CreateJobOptions {
  name: string;
  image?: string;
  from?: string;
  command: string[];
  dryRun: DryRun;
  output: OutputFormat;
  namespace?: string;
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
  if (opts.dryRun !== 'client') {
    const client = await connect(io);
    const ns = job.metadata.namespace ?? 'default';
    const r = await client.call<Job>(
      'POST',
      apiPath('jobs', ns) + (opts.dryRun === 'server' ? '?dryRun=All' : ''),
      job,
    );
    for (const w of r.warnings) io.err(`Warning: ${w}\n`);
    if (opts.output === 'name') io.out(`${kindSlashName(r.body)}\n`);
    else if (opts.output) await printObjects([r.body], opts.output, io);
    else io.out(`${kindSlashName(r.body)} created${opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
    return;
  }
  // Validate as the server would, but print what kubectl builds: the object a user saves as a manifest.
  const { warnings } = admitCreate(job, new Date());
  for (const w of warnings) io.err(`Warning: ${w}\n`);
  if (opts.output === 'name') io.out(`${kindSlashName(job)}\n`);
  else if (opts.output) await printObjects([job], opts.output, io);
  else io.out(`${kindSlashName(job)} created (dry run)\n`);
}
