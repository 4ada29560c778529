// `jobctl logs job/NAME | pod/NAME | NAME`, with kubectl's pod and container choice (§7.6).
import type { IncomingMessage } from 'node:http';
import { parseDuration, StatusError, type Pod } from '../api/index.js';
import { listAndWatch, type ApiClient } from '../client/index.js';
import { apiPath, connect, namespaceOf, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';
import { comparePodsActive, lookup, podsForJob, within } from './pod-target.js';

export interface LogsOptions extends GlobalOptions {
  container?: string;
  allContainers?: boolean;
  allPods?: boolean;
  prefix?: boolean;
  follow?: boolean;
  previous?: boolean;
  tail?: string;
  timestamps?: boolean;
  podRunningTimeout?: string;
  selector?: string;
  attempt?: string;
  allAttempts?: boolean;
  since?: string;
  sinceTime?: string;
  limitBytes?: string;
  maxLogRequests?: string;
  ignoreErrors?: boolean;
}

const USAGE = "\nSee 'jobctl logs --help' for usage.";

/** --since, --since-time and --limit-bytes as the query kubectl sends, validated in its words. */
function logWindow(opts: LogsOptions): URLSearchParams {
  const q = new URLSearchParams();
  let since: number | undefined;
  if (opts.since !== undefined) {
    since = parseDuration(opts.since);
    if (since === undefined)
      throw new CliError(
        `invalid argument "${opts.since}" for "--since" flag: time: invalid duration "${opts.since}"${USAGE}`,
      );
  }
  if (opts.sinceTime && since) throw new CliError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (opts.limitBytes !== undefined && !/^-?\d+$/.test(opts.limitBytes))
    throw new CliError(
      `invalid argument "${opts.limitBytes}" for "--limit-bytes" flag: strconv.ParseInt: parsing "${opts.limitBytes}": invalid syntax${USAGE}`,
    );
  const limit = Number(opts.limitBytes ?? 0);
  if (limit < 0) throw new CliError('--limit-bytes must be greater than 0');
  const seconds = since ? Math.round(since / 1000) : 0;
  if (seconds < 0) throw new CliError('--since must be greater than 0');
  if (opts.sinceTime) {
    if (Number.isNaN(Date.parse(opts.sinceTime)) || !/^\d{4}-\d{2}-\d{2}T/.test(opts.sinceTime))
      throw new CliError(
        `parsing time "${opts.sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${opts.sinceTime}" as "2006"`,
      );
    q.set('sinceTime', new Date(opts.sinceTime).toISOString().replace(/\.\d+Z$/, 'Z'));
  }
  if (limit) q.set('limitBytes', String(limit));
  if (since) q.set('sinceSeconds', String(seconds));
  return q;
}

const waitingToCreate = (p: Pod, container: string) => {
  const s = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find(
    (x) => x.name === container,
  );
  return !s || s.state.waiting?.reason === 'ContainerCreating' || s.state.waiting?.reason === 'PodInitializing';
};

/** The pod once the container has left ContainerCreating (or as it is when the time is up). */
async function waitStarted(client: ApiClient, pod: Pod, container: string, timeoutMs: number): Promise<Pod> {
  let p = pod;
  if (!waitingToCreate(p, container)) return p;
  await within(timeoutMs, (signal) =>
    listAndWatch<Pod>(
      client,
      apiPath('pods', pod.metadata.namespace),
      {
        onList: (items) => {
          p = items[0] ?? p;
          return !items[0] || !waitingToCreate(p, container);
        },
        onEvent: (ev) => {
          if (ev.type === 'DELETED') return true;
          p = ev.object;
          return !waitingToCreate(p, container);
        },
      },
      { query: new URLSearchParams({ fieldSelector: `metadata.name=${pod.metadata.name}` }), signal },
    ),
  );
  return p;
}

export async function runLogs(target: string, opts: LogsOptions, io: Io): Promise<void> {
  if (opts.attempt !== undefined || opts.allAttempts)
    return (await import('./attempt-logs.js')).runAttemptLogs(target, opts, io);
  const window = logWindow(opts);
  const ns = namespaceOf(opts);
  const timeoutMs = parseDuration(opts.podRunningTimeout ?? '20s') ?? 20_000;
  const client = await connect(io);
  let pods: Pod[];
  const slash = target.indexOf('/');
  const kind = slash >= 0 ? target.slice(0, slash).toLowerCase() : 'pod';
  const name = slash >= 0 ? target.slice(slash + 1) : target;
  if (opts.selector) {
    pods = (await client.listAll<Pod>(apiPath('pods', ns), new URLSearchParams({ labelSelector: opts.selector })))
      .items;
    if (!pods.length) {
      io.err(`No resources found in ${ns} namespace.\n`);
      return;
    }
  } else if (['job', 'jobs', 'job.batch', 'jobs.batch'].includes(kind)) {
    pods = (await podsForJob(client, ns, name, timeoutMs)).sort(comparePodsActive);
    if (pods.length > 1 && !opts.allPods) {
      io.err(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`);
      pods = [pods[0]];
    }
  } else if (['pod', 'pods', 'po'].includes(kind)) {
    pods = [await lookup<Pod>(client, 'pods', ns, name)];
  } else {
    throw new CliError(`cannot get the logs from ${kind}: jobctl shows logs of jobs and pods`);
  }
  const tail = opts.tail !== undefined && opts.tail !== '-1' ? opts.tail : undefined;
  if (tail !== undefined && !/^\d+$/.test(tail))
    throw new CliError(`invalid argument "${opts.tail}" for "--tail" flag`);
  const maxRequests = opts.maxLogRequests ?? '5';
  if (!/^-?\d+$/.test(maxRequests))
    throw new CliError(
      `invalid argument "${maxRequests}" for "--max-log-requests" flag: strconv.ParseInt: parsing "${maxRequests}": invalid syntax${USAGE}`,
    );
  const streams: (() => Promise<void>)[] = [];
  for (let pod of pods) {
    const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
    let containers: string[];
    if (opts.allContainers) containers = all;
    else if (opts.container) containers = [opts.container];
    else {
      const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
      const chosen = annotated && all.includes(annotated) ? annotated : pod.spec.containers[0].name;
      if (!annotated && pod.spec.containers.length > 1)
        io.err(`Defaulted container "${chosen}" out of: ${all.join(', ')}\n`);
      containers = [chosen];
    }
    for (const c of containers) {
      const q = new URLSearchParams({ container: c, ...Object.fromEntries(window) });
      if (opts.follow) q.set('follow', 'true');
      if (opts.previous) q.set('previous', 'true');
      if (opts.timestamps) q.set('timestamps', 'true');
      if (tail !== undefined) q.set('tailLines', tail);
      const prefix = opts.prefix ? `[pod/${pod.metadata.name}/${c}] ` : '';
      const run = async () => {
        try {
          if (!opts.previous) pod = await waitStarted(client, pod, c, timeoutMs);
          const res = await client.stream(apiPath('pods', ns, pod.metadata.name) + `/log?${q}`);
          await pipeLines(res, prefix, io);
        } catch (e) {
          // --ignore-errors: the stream's error is said where its lines would be, and the rest go on.
          if (!opts.ignoreErrors || !(e instanceof StatusError)) throw e;
          io.out(`error: ${e.status.message}\n`);
        }
      };
      streams.push(run);
    }
  }
  // Followed streams run side by side (as many as --max-log-requests allows); others in order.
  if (opts.follow && streams.length > 1) {
    if (streams.length > Number(maxRequests))
      throw new CliError(
        `you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${maxRequests}, use --max-log-requests to increase the limit`,
      );
    await Promise.all(streams.map((s) => s()));
  } else for (const s of streams) await s();
}

export async function pipeLines(res: IncomingMessage, prefix: string, io: Io): Promise<void> {
  res.setEncoding('utf8');
  let carry = '';
  for await (const chunk of res as AsyncIterable<string>) {
    const text = carry + chunk;
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length) io.out(lines.map((l) => prefix + l + '\n').join(''));
  }
  if (carry) io.out(prefix + carry);
}
