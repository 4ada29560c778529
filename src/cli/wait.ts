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
  (job.status?.conditions ?? []).some(
    (x) => x.type.toLowerCase() === c.type.toLowerCase() && x.status.toLowerCase() === c.status.toLowerCase(),
  );

export async function runWait(
  args: string[],
  opts: GlobalOptions & { for: string[]; timeout?: string },
  io: Io,
): Promise<void> {
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
  const spinner = await startSpinner(
    `waiting for ${names.map((n) => `job/${n}`).join(', ')}`,
    io.stdoutIsTTY && !io.env.NO_COLOR && !opts.noColor,
  );
  try {
    for (const name of names) await waitOne(client, ns, name, conds, timeoutMs, io);
  } finally {
    spinner.stop();
  }
}

/** What the waiter knows of the job: the object (undefined once deleted) and its revision. */
interface Seen {
  job: Job | undefined;
  rv: string;
}

/**
 * Lists the job once, then follows one watch stream, testing each event's object, as kubectl
 * does: a Job that changes thousands of times (a big one's status) costs one stream, not a
 * request per change. The stream is reopened from the last revision if the server ends it.
 */
async function waitOne(
  client: ApiClient,
  ns: string,
  name: string,
  conds: Condition[],
  timeoutMs: number,
  io: Io,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const label = `${singularQualified('jobs')}/${name}`;
  const wantsDelete = conds.some((c) => c.kind === 'delete');
  const holds = (job: Job | undefined) =>
    job ? !wantsDelete && conds.every((c) => c.kind === 'condition' && met(job, c)) : wantsDelete;
  const field = `metadata.name=${name}`;
  const list = async (): Promise<Seen> => {
    const l = await client.get<ListResult<Job>>(
      apiPath('jobs', ns) + `?${new URLSearchParams({ fieldSelector: field })}`,
    );
    return { job: l.items[0], rv: l.metadata.resourceVersion };
  };
  let seen = await list();
  if (!seen.job && !wantsDelete) {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: `jobs.batch "${name}" not found`,
    });
  }
  for (;;) {
    if (holds(seen.job)) {
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
    try {
      await follow(
        client,
        apiPath('jobs', ns) +
          `?${new URLSearchParams({ watch: 'true', fieldSelector: field, resourceVersion: seen.rv })}`,
        seen,
        remaining,
        holds,
      );
    } catch (e) {
      // The revision is older than the server keeps (it restarted and compacted): list again.
      if (!(e instanceof StatusError && e.status.code === 410)) throw e;
      seen = await list();
    }
  }
}

/** Applies watch events to `seen` until one makes `holds` true, the stream ends, or `ms` pass. */
async function follow(
  client: ApiClient,
  path: string,
  seen: Seen,
  ms: number,
  holds: (job: Job | undefined) => boolean,
): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    for await (const ev of client.watch<Job>(path, abort.signal)) {
      if (ev.type === 'ERROR') throw new StatusError(ev.object as never);
      seen.rv = ev.object.metadata.resourceVersion ?? seen.rv;
      seen.job = ev.type === 'DELETED' ? undefined : ev.object;
      if (holds(seen.job)) return;
    }
  } finally {
    clearTimeout(timer);
  }
}
