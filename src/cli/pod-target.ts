// The pod a verb acts on when given POD, pod/NAME or job/NAME, and the container in it, chosen as
// kubectl chooses them (its GetFirstPod and podcmd): logs, exec, attach and cp share them.
import { StatusError, type ApiObject, type Job, type Pod } from '../api/index.js';
import { listAndWatch, type ApiClient } from '../client/index.js';
import { apiPath, getNamed, resourceName } from './context.js';
import { CliError, type Io } from './io.js';

const PHASE_RANK: Record<string, number> = { Running: 0, Succeeded: 0, Failed: 0, Unknown: 1, Pending: 2 };

/** kubectl's ActivePods order, most active first: the pod logs, exec and attach choose for a Job. */
export function comparePodsActive(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName || p.status?.startTime ? 0 : 1);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const rank = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 2;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const ready = (p: Pod) => (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 0 : 1);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
}

/** Runs `fn` with a signal that aborts after `ms`. */
export async function within<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return await fn(abort.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** The object logs are asked of, read as kubectl's logs reads it, and its absence in its words. */
export async function lookup<T extends ApiObject>(
  client: ApiClient,
  resource: string,
  ns: string,
  name: string,
): Promise<T> {
  try {
    return await getNamed<T>(client, resource, ns, name);
  } catch (e) {
    if (e instanceof StatusError && e.status.code === 404)
      throw new CliError(`error from server (NotFound): ${e.status.message} in namespace "${ns}"`);
    throw e;
  }
}

/** The Job's pods, once it has any (kubectl waits up to --pod-running-timeout). */
export async function podsForJob(client: ApiClient, ns: string, name: string, timeoutMs: number): Promise<Pod[]> {
  return podsOfJob(client, ns, await lookup<Job>(client, 'jobs', ns, name), timeoutMs);
}

async function podsOfJob(client: ApiClient, ns: string, job: Job, timeoutMs: number): Promise<Pod[]> {
  const labelSelector = Object.entries(job.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = new Map<string, Pod>();
  const found = await within(timeoutMs, (signal) =>
    listAndWatch<Pod>(
      client,
      apiPath('pods', ns),
      {
        onList: (items) => {
          for (const p of items) pods.set(p.metadata.name ?? '', p);
          return pods.size > 0;
        },
        onEvent: (ev) => {
          if (ev.type !== 'DELETED') pods.set(ev.object.metadata.name ?? '', ev.object);
          return pods.size > 0;
        },
      },
      { query: new URLSearchParams({ labelSelector }), signal },
    ),
  );
  if (!found) throw new CliError(`timed out waiting for the condition`);
  return [...pods.values()];
}

/**
 * The pod `word` (NAME, pod/NAME, job/NAME) names, as exec and attach find it: a Job's most
 * active pod, waiting up to `timeoutMs` for one to exist.
 */
export async function attachablePod(client: ApiClient, ns: string, word: string, timeoutMs: number): Promise<Pod> {
  const slash = word.indexOf('/');
  const resource = slash >= 0 ? resourceName(word.slice(0, slash)) : 'pods';
  const name = slash >= 0 ? word.slice(slash + 1) : word;
  const found = await getNamed(client, resource, ns, name);
  if (found.kind === 'Pod') return found as Pod;
  if (found.kind === 'Job') return (await podsOfJob(client, ns, found as Job, timeoutMs)).sort(comparePodsActive)[0];
  throw new CliError(`cannot attach to ${found.kind}: jobctl finds the pods of jobs and pods`);
}

/** `a, b, i (init)`: a pod's containers as kubectl lists them. */
export const allContainerNames = (pod: Pod): string =>
  [...pod.spec.containers.map((c) => c.name), ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`)].join(
    ', ',
  );

/**
 * The container `name` names (checked here with `check`, else left to the server, as kubectl 1.32's
 * exec does), else the pod's default: its `kubectl.kubernetes.io/default-container` annotation,
 * else its first container, said on stderr when there was a choice unless `quiet`.
 */
export function podContainer(pod: Pod, name: string | undefined, quiet: boolean, io: Io, check = false): string {
  if (name && !check) return name;
  const wanted = name || pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (wanted) {
    if (![...pod.spec.containers, ...(pod.spec.initContainers ?? [])].some((c) => c.name === wanted))
      throw new CliError(`container ${wanted} not found in pod ${pod.metadata.name}`);
    return wanted;
  }
  const first = pod.spec.containers[0].name;
  if (!quiet && (pod.spec.containers.length > 1 || (pod.spec.initContainers ?? []).length > 0))
    io.err(`Defaulted container "${first}" out of: ${allContainerNames(pod)}\n`);
  return first;
}
