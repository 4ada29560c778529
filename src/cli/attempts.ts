// `jobctl attempts job/NAME | pod/NAME [-o json|yaml] [-w]`: every attempt of a Job (or a pod),
// how each ended and what it counted against, and when the next one comes (issue 18). Beyond
// kubectl, which keeps no earlier attempts: served by jobctl's server only.
import { attemptsPath, StatusError, type Attempt, type AttemptList, type Job, type Pod } from '../api/index.js';
import { listAndWatch, type ApiClient } from '../client/index.js';
import { attemptRow, attemptsHeader, attemptsIndexed, nextLine } from '../print/attempts.js';
import { toJson, toYaml } from '../print/output.js';
import { TablePrinter } from '../print/tabwriter.js';
import { apiPath, connect, getNamed, namespaceOf, paletteFor, parseTargets, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

export interface AttemptsOptions extends GlobalOptions {
  output?: string;
  watch?: boolean;
}

export interface AttemptsTarget {
  resource: 'jobs' | 'pods';
  name: string;
}

/** `job/NAME`, `pod/NAME`, `jobs NAME`, or a bare NAME (a Job). */
export function attemptsTarget(args: string[], verb: string): AttemptsTarget {
  const { resource, names } =
    args.length === 1 && !args[0].includes('/') ? { resource: 'jobs', names: args } : parseTargets(args);
  if (resource !== 'jobs' && resource !== 'pods')
    throw new CliError(`${verb} is shown for jobs and pods, not ${resource}`);
  if (names.length !== 1) throw new CliError(`${verb} takes one job or pod, as job/NAME or pod/NAME`);
  return { resource, name: names[0] };
}

/** The attempts, read from jobctl's server (a cluster keeps none: said, not guessed). */
export async function fetchAttempts(client: ApiClient, ns: string, t: AttemptsTarget): Promise<AttemptList> {
  try {
    return (await client.get<AttemptList>(attemptsPath(ns, t.resource, t.name))) as AttemptList;
  } catch (e) {
    // A cluster answers a path it does not serve with a bare 404 (or 403 where RBAC guards it).
    const absent = e instanceof StatusError && ((e.status.code === 404 && !e.status.details) || e.status.code === 403);
    if (absent)
      throw new CliError(
        `the server at ${client.endpoint.server.origin} keeps no attempts: it is not a jobctl server (on a cluster, \`kubectl get pods\` shows the current ones)`,
      );
    throw e;
  }
}

/** The object the attempts are of, as kubectl's builder reads it (its absence in kubectl's words). */
export async function readTarget(client: ApiClient, ns: string, t: AttemptsTarget): Promise<Job | Pod | undefined> {
  if (t.resource === 'jobs') return getNamed<Job>(client, 'jobs', ns, t.name);
  // A pod deleted while its Job exists still has its attempts.
  return getNamed<Pod>(client, 'pods', ns, t.name).catch((e: unknown) => {
    if (e instanceof StatusError && e.status.code === 404) return undefined;
    throw e;
  });
}

const keyOf = (a: Attempt) => `${a.podUID}/${a.container}/${a.restart}`;

export async function runAttempts(args: string[], opts: AttemptsOptions, io: Io): Promise<void> {
  const t = attemptsTarget(args, 'attempts');
  const format = opts.output ?? '';
  if (!['', 'json', 'yaml'].includes(format))
    throw new CliError(
      `unable to match a printer suitable for the output format "${format}", allowed formats are: json,yaml`,
    );
  const ns = namespaceOf(opts);
  const client = await connect(io);
  const target = await readTarget(client, ns, t);
  let list = await fetchAttempts(client, ns, t);
  const p = await paletteFor(io, opts, format !== '');
  const table = new TablePrinter();
  const indexed = attemptsIndexed(list);
  const label = `${t.resource === 'jobs' ? 'job' : 'pod'}/${t.name}`;
  const printed = new Map<string, string>();
  let lastNext = '';
  const emit = async (items: Attempt[], first: boolean) => {
    const nowMs = Date.parse(list.now);
    if (format === 'json') for (const a of items) io.out(toJson(a));
    else if (format === 'yaml') for (const a of items) io.out(`${await toYaml(a)}---\n`);
    else {
      const rows = items.map((a) => attemptRow(a, indexed, nowMs, p));
      if (first && rows.length) rows.unshift(attemptsHeader(indexed));
      if (rows.length) io.out(table.render(rows));
      const next = list.next.map((n) => nextLine(n, nowMs)).join('\n');
      // Watching, a line is printed as the back-off starts, not as it counts down.
      const nextKey = list.next
        .map((n) => `${n.kind}/${n.pod ?? ''}/${n.container ?? ''}/${n.index ?? ''}/${n.at}`)
        .join(',');
      if (next && nextKey !== lastNext) io.out(`${next}\n`);
      lastNext = nextKey;
    }
  };
  if (!opts.watch) {
    if (format === 'json') io.out(toJson(list));
    else if (format === 'yaml') io.out(await toYaml(list));
    else if (!list.items.length) io.err(`No attempts yet for ${label} in ${ns} namespace.\n`);
    else await emit(list.items, true);
    return;
  }
  const changed = (items: Attempt[]) =>
    items.filter((a) => {
      const text = JSON.stringify(a);
      if (printed.get(keyOf(a)) === text) return false;
      printed.set(keyOf(a), text);
      return true;
    });
  await emit(changed(list.items), true);
  let headed = list.items.length > 0;
  // Attempts change as pods do: each change of the pods reads them again.
  const uid = target?.metadata.uid;
  const query = new URLSearchParams(
    t.resource === 'jobs' && uid
      ? { labelSelector: `batch.kubernetes.io/controller-uid=${uid}` }
      : { fieldSelector: `metadata.name=${t.name}` },
  );
  await listAndWatch<Pod>(
    client,
    apiPath('pods', ns),
    {
      onEvent: async () => {
        try {
          list = await fetchAttempts(client, ns, t);
        } catch (e) {
          if (e instanceof StatusError && e.status.code === 404) return true; // the Job is gone
          throw e;
        }
        const fresh = changed(list.items);
        await emit(fresh, !headed);
        headed ||= fresh.length > 0;
        return false;
      },
    },
    { query, reconnect: () => connect(io) },
  );
}
