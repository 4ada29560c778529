// `jobctl patch job NAME -p '<json>' --type merge|json|strategic`.
import type { Job } from '../api/index.js';
import { kindSlashName } from '../print/output.js';
import { apiPath, connect, namespaceOf, parseTargets, type GlobalOptions } from './context.js';
import { printObjects, type OutputFormat } from './apply.js';
import { CliError, type Io, warn } from './io.js';

const CONTENT_TYPES: Record<string, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export async function runPatch(
  args: string[],
  opts: GlobalOptions & { patch?: string; type?: string; output: OutputFormat; dryRun: string },
  io: Io,
): Promise<void> {
  const { resource, names } = parseTargets(args);
  if (resource !== 'jobs') throw new CliError('jobctl patches jobs');
  if (names.length !== 1) throw new CliError('exactly one NAME is required');
  if (!opts.patch) throw new CliError('must specify -p to patch');
  const type = opts.type ?? 'strategic';
  const contentType = CONTENT_TYPES[type];
  if (!contentType) throw new CliError(`--type must be one of [json merge strategic], not "${type}"`);
  let body: unknown;
  try {
    body = JSON.parse(opts.patch);
  } catch (e) {
    throw new CliError(`unable to parse "${opts.patch}": ${(e as Error).message}`);
  }
  const client = await connect(io);
  const path = apiPath('jobs', namespaceOf(opts), names[0]);
  const before = await client.get<Job>(path);
  const r = await client.call<Job>('PATCH', path + (opts.dryRun === 'server' ? '?dryRun=All' : ''), body, contentType);
  warn(io, r.warnings);
  if (opts.output === 'name') io.out(`${kindSlashName(r.body)}\n`);
  else if (opts.output) await printObjects([r.body], opts.output, io);
  else {
    const unchanged = before.metadata.resourceVersion === r.body.metadata.resourceVersion;
    io.out(
      `${kindSlashName(r.body)} patched${unchanged ? ' (no change)' : ''}${opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`,
    );
  }
}
