// `jobctl wait --for=condition=X|--for=delete job/NAME --timeout=30s` (reference §7.7), and
// beyond kubectl (whose --for takes one condition, kubectl#1629): several --for flags mean any of
// them, and `--for=finished` waits for Complete or Failed and exits 1 for Failed, saying why, so a
// CI step is one command. On a terminal the spinner shows the Job's progress as it changes.
import { notFoundError, parseDuration, StatusError, type Job } from '../api/index.js';
import { listAndWatch, type ApiClient } from '../client/index.js';
import { startSpinner } from '../print/spinner.js';
import {
  apiPath,
  connect,
  getNamed,
  namespaceOf,
  parseTargets,
  singularQualified,
  type GlobalOptions,
} from './context.js';
import { CliError, ExitError, type Io } from './io.js';
import { WaitProgress } from './wait-progress.js';

const A_WEEK_MS = 7 * 24 * 3600 * 1000;

type Condition = { kind: 'condition'; type: string; status: string } | { kind: 'delete' } | { kind: 'finished' };

function parseFor(spec: string): Condition {
  if (spec === 'delete') return { kind: 'delete' };
  if (spec === 'finished') return { kind: 'finished' };
  const m = /^condition=([^=]+)(?:=(.*))?$/.exec(spec);
  if (!m) throw new CliError(`unrecognized condition: "${spec}"`);
  return { kind: 'condition', type: m[1], status: m[2] ?? 'True' };
}

const met = (job: Job, c: Extract<Condition, { kind: 'condition' }>) =>
  (job.status?.conditions ?? []).some(
    (x) => x.type.toLowerCase() === c.type.toLowerCase() && x.status.toLowerCase() === c.status.toLowerCase(),
  );

/** The Job's terminal condition, if it has one. */
const outcome = (job: Job) =>
  job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');

/** Whether one of the conditions holds: a deletion for no Job, any other for this one. */
function holdsAny(conds: Condition[], job: Job | undefined): boolean {
  return conds.some((c) =>
    c.kind === 'delete' ? !job : job !== undefined && (c.kind === 'finished' ? !!outcome(job) : met(job, c)),
  );
}

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
    for (const name of names) {
      const shown = spinner.active ? new WaitProgress(client, ns, name, (t) => spinner.say(t)) : undefined;
      try {
        await waitOne(client, ns, name, conds, timeoutMs, io, (job) => shown?.seen(job));
      } finally {
        shown?.stop();
      }
    }
  } finally {
    spinner.stop();
  }
}

/**
 * Reads the job, then follows its changes as kubectl does (client-go's reflector: one list, one
 * stream, re-listed if the server compacted past it), testing each version: a Job that changes
 * thousands of times costs one stream, not a request per change.
 */
async function waitOne(
  client: ApiClient,
  ns: string,
  name: string,
  conds: Condition[],
  timeoutMs: number,
  io: Io,
  seen: (job: Job) => void,
): Promise<void> {
  const label = `${singularQualified('jobs')}/${name}`;
  const wantsDelete = conds.some((c) => c.kind === 'delete');
  let last: Job | undefined;
  const holds = (job: Job | undefined) => {
    last = job;
    if (job) seen(job);
    return holdsAny(conds, job);
  };
  const gone = (e: unknown) => e instanceof StatusError && e.status.code === 404;
  // kubectl's resource builder reads it first: a job that does not exist is an error, or, when
  // waiting for its deletion, nothing to wait for. (Waiting for a condition on jobctl's own
  // server, the list below tells the same, and the request is spared.)
  const readFirst = !client.endpoint.local || timeoutMs === 0 || wantsDelete;
  if (readFirst) {
    try {
      await getNamed(client, 'jobs', ns, name);
    } catch (e) {
      if (wantsDelete && gone(e)) return;
      throw e;
    }
  }
  if (timeoutMs === 0 || wantsDelete) {
    // One more look (--timeout=0 waits no longer; a deletion may be done already).
    const now = await client.get<Job>(apiPath('jobs', ns, name)).catch((e: unknown) => {
      if (gone(e)) return undefined;
      throw e;
    });
    if (holds(now)) return metFor(label, conds, last, io);
    if (timeoutMs === 0) {
      const what = wantsDelete ? 'timed out waiting for the condition on' : 'condition not met for';
      io.err(`error: ${what} jobs/${name}\n`);
      throw new ExitError(1);
    }
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let done: boolean;
  try {
    done = await listAndWatch<Job>(
      client,
      apiPath('jobs', ns),
      {
        onList: (items) => {
          if (!readFirst && !items[0]) throw notFoundError('jobs', 'batch', name);
          return holds(items[0]);
        },
        onEvent: (ev) => holds(ev.type === 'DELETED' ? undefined : ev.object),
      },
      { query: new URLSearchParams({ fieldSelector: `metadata.name=${name}` }), signal: abort.signal, informer: true },
    );
  } finally {
    clearTimeout(timer);
  }
  if (!done) {
    io.err(`error: timed out waiting for the condition on jobs/${name}\n`);
    throw new ExitError(1);
  }
  metFor(label, conds, last, io);
}

/**
 * kubectl's `condition met`; but a Job waited for with `--for=finished` that Failed (and meets no
 * other --for given) exits 1 with its reason and message.
 */
function metFor(label: string, conds: Condition[], job: Job | undefined, io: Io): void {
  const end = job && outcome(job);
  const otherwise = conds.some((c) => c.kind !== 'finished' && holdsAny([c], job));
  if (end?.type === 'Failed' && conds.some((c) => c.kind === 'finished') && !otherwise) {
    io.err(`${label} failed: ${end.reason ?? 'Failed'}: ${end.message ?? ''}\n`);
    throw new ExitError(1);
  }
  io.out(`${label} condition met\n`);
}
