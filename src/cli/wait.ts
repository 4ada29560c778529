// `jobctl wait --for=condition=X|--for=delete job/NAME --timeout=30s` (reference §7.7).
import { parseDuration, StatusError, type Job } from '../api/index.js';
import type { ApiClient, ListResult } from '../client/index.js';
import { startSpinner } from '../print/spinner.js';
import { apiPath, connect, namespaceOf, parseTargets, singularQualified, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io } from './io.js';

const A_WEEK_MS = 7 * 24 * 3600 * 1000;

type Condition = { kind: 'condition'; type: string; status: string } | { kind: 'delete' };

function parseFor(spec: string): Condition {
  if (spec === 'delete') return { kind: 'delete' };
  const m = /^condition=([^=]+)(?:=(.*))?$/.exec(spec);
  if (!m) throw new CliError(`unrecognized condition: "${spec}"`);
  return { kind: 'condition', type: m[1], status: m[2] ?? 'True' };
}

const met = (job: Job, c: Extract<Condition, { kind: 'condition' }>) =>
  (job.status?.conditions ?? []).some((x) => x.type.toLowerCase() === c.type.toLowerCase() && x.status.toLowerCase() === c.status.toLowerCase());

export async function runWait(args: string[], opts: GlobalOptions & { for: string[]; timeout?: string }, io: Io): Promise<void> {
  if (!opts.for.length) throw new CliError('--for must be specified');
  const conds = opts.for.map(parseFor);
  const { resource, names } = parseTargets(args);
  if (resource !== 'jobs') throw new CliError('jobctl waits for jobs');
  if (!names.length) throw new CliError('resource name is required');
  const t = opts.timeout ?? '30s';
  let timeoutMs = parseDuration(t);
  if (timeoutMs === undefined) throw new CliError(`invalid argument "${t}" for "--timeout" flag`);
  if (timeoutMs < 0) timeoutMs = A_WEEK_MS;
  const ns = namespaceOf(opts);
  const client = await connect(io);
  const spinner = await startSpinner(`waiting for ${names.map((n) => `job/${n}`).join(', ')}`, io.stdoutIsTTY && !io.env.NO_COLOR && !opts.noColor);
  try {
    for (const name of names) await waitOne(client, ns, name, conds, timeoutMs, io);
  } finally {
    spinner.stop();
  }
}

async function waitOne(client: ApiClient, ns: string, name: string, conds: Condition[], timeoutMs: number, io: Io): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const label = `${singularQualified('jobs')}/${name}`;
  const wantsDelete = conds.some((c) => c.kind === 'delete');
  const selector = new URLSearchParams({ fieldSelector: `metadata.name=${name}` });
  for (let first = true; ; first = false) {
    const list = await client.get<ListResult<Job>>(apiPath('jobs', ns) + `?${selector}`);
    const job = list.items[0];
    if (!job) {
      if (wantsDelete) {
        io.out(`${label} condition met\n`);
        return;
      }
      if (first) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: `jobs.batch "${name}" not found` });
    } else if (!wantsDelete && conds.every((c) => c.kind === 'condition' && met(job, c))) {
      io.out(`${label} condition met\n`);
      return;
    }
    if (timeoutMs === 0) {
      io.err(`error: condition not met for jobs/${name}\n`);
      throw new ExitError(1);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      io.err(`error: timed out waiting for the condition on jobs/${name}\n`);
      throw new ExitError(1);
    }
    await nextChange(client, ns, name, list.metadata.resourceVersion, remaining);
  }
}

/** Resolves at the job's next change after revision `rv` (or its deletion), or when `ms` pass. */
async function nextChange(client: ApiClient, ns: string, name: string, rv: string, ms: number): Promise<void> {
  const q = new URLSearchParams({ watch: 'true', fieldSelector: `metadata.name=${name}`, resourceVersion: rv });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  const stream = client.stream(apiPath('jobs', ns) + `?${q}`);
  const res = await Promise.race([stream, timeout]);
  if (res === 'timeout') {
    void stream.then((r) => r.destroy(), () => undefined);
    return;
  }
  await Promise.race([
    timeout,
    new Promise<void>((resolve) => {
      res.once('data', () => resolve());
      res.once('end', resolve);
      res.once('error', () => resolve());
    }),
  ]);
  clearTimeout(timer);
  res.destroy();
}
