// The kubelet's decisions, as pure functions of (pod, observed containers, now), beside `decide`
// for Jobs: container statuses, conditions and readiness, what follows a container's exit, the
// back-off of restarts and pulls, image pull policies, termination messages. The worker that
// carries them out (pod-worker.ts) only talks to the runtime and the API.
import type { Condition, Container, ContainerState, ContainerStatus, PodSpec, PodStatus } from '../api/index.js';

/** Kubernetes' kubelet defaults, as multiples of the configurable base (10 s by default). */
export const CRASH_LOOP_CAP_FACTOR = 30; // 300 s
export const IMAGE_PULL_CAP_FACTOR = 30; // 300 s
/** The kubelet's limits for termination messages. */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;
export const TERMINATION_MESSAGE_FALLBACK_BYTES = 2048;
export const FALLBACK_LOG_LINES = 80;

export type Terminated = NonNullable<ContainerState['terminated']>;

/**
 * The statuses of the pod's init or app containers, one per container in spec order, created
 * waiting: PodInitializing in a pod with init containers (its app containers too), else
 * ContainerCreating, as the kubelet defaults them.
 */
export function containerStatuses(spec: PodSpec, status: PodStatus, init: boolean): ContainerStatus[] {
  const key = init ? 'initContainerStatuses' : 'containerStatuses';
  const list = (init ? spec.initContainers : spec.containers) ?? [];
  const existing = status[key] ?? [];
  const reason = spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
  status[key] = list.map(
    (c) =>
      existing.find((s) => s.name === c.name) ?? {
        name: c.name,
        state: { waiting: { reason } },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: c.image ?? '',
        imageID: '',
        started: false,
      },
  );
  return status[key]!;
}

/** Sets a pod condition; its transition time moves only when its status changes. */
export function setPodCondition(
  status: PodStatus,
  type: string,
  value: 'True' | 'False',
  nowIso: string,
  reason?: string,
  message?: string,
): void {
  const conds = (status.conditions ??= []);
  const c = conds.find((x) => x.type === type);
  if (c) {
    if (c.status !== value) c.lastTransitionTime = nowIso;
    c.status = value;
    if (reason) c.reason = reason;
    else delete c.reason;
    if (message) c.message = message;
    else delete c.message;
    return;
  }
  const cond: Condition = { type, status: value, lastProbeTime: null, lastTransitionTime: nowIso };
  if (reason) cond.reason = reason;
  if (message) cond.message = message;
  conds.push(cond);
}

/** Ready and ContainersReady: every app container running and the pod not finished. */
export function computeReadiness(spec: PodSpec, status: PodStatus, nowIso: string): void {
  const apps = containerStatuses(spec, status, false);
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  const allRunning = apps.length > 0 && apps.every((s) => s.state.running);
  for (const s of apps) s.ready = Boolean(s.state.running) && !terminal;
  const ready = allRunning && !terminal ? 'True' : 'False';
  const reason = terminal ? 'PodCompleted' : allRunning ? undefined : 'ContainersNotReady';
  setPodCondition(status, 'Ready', ready, nowIso, reason);
  setPodCondition(status, 'ContainersReady', ready, nowIso, reason);
}

/** What follows a container's exit. */
export type AfterExit =
  | { kind: 'restart' } // OnFailure: back off, then run it again
  | { kind: 'next-init' } // an init container succeeded: start the next step
  | { kind: 'finish'; phase: 'Succeeded' | 'Failed' }
  | { kind: 'wait' }; // other app containers still run

export function decideAfterExit(spec: PodSpec, status: PodStatus, init: boolean, term: Terminated): AfterExit {
  if (term.exitCode !== 0 && spec.restartPolicy === 'OnFailure') return { kind: 'restart' };
  if (init) return term.exitCode === 0 ? { kind: 'next-init' } : { kind: 'finish', phase: 'Failed' };
  const apps = containerStatuses(spec, status, false);
  if (!apps.every((x) => x.state.terminated)) return { kind: 'wait' };
  return { kind: 'finish', phase: apps.every((x) => x.state.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed' };
}

/** An exponential back-off: the delay last used and when. */
export interface Backoff {
  delayMs: number;
  lastUpdate: number;
}

/**
 * The next delay of a back-off (the kubelet's crash-loop and image-pull back-offs): the base,
 * doubled at each use up to `capFactor` times the base; one not used for twice its cap starts over.
 */
/** A back-off not used for twice its cap starts over (the kubelet's reset). */
export const isStaleBackoff = (b: Backoff, nowMs: number, baseMs: number, capFactor: number): boolean =>
  nowMs - b.lastUpdate > 2 * baseMs * capFactor;

export function nextBackoff(previous: Backoff | undefined, nowMs: number, baseMs: number, capFactor: number): Backoff {
  const stale = previous === undefined || isStaleBackoff(previous, nowMs, baseMs, capFactor);
  return { delayMs: stale ? baseMs : Math.min(previous.delayMs * 2, baseMs * capFactor), lastUpdate: nowMs };
}

/** What an image pull policy asks for, given whether the image is present. */
export function decideImage(
  policy: Container['imagePullPolicy'] | undefined,
  present: boolean,
): 'use' | 'pull' | 'never-pull-missing' {
  const p = policy ?? 'IfNotPresent';
  if (p === 'Never') return present ? 'use' : 'never-pull-missing';
  if (p === 'IfNotPresent' && present) return 'use';
  return 'pull';
}

/**
 * The termination message: the file at terminationMessagePath (4 KiB at most), else, with
 * FallbackToLogsOnError and a failure, the tail of the run's log (80 lines, 2 KiB). `logLines`
 * are the captured lines `<ts> <stream> <text>`.
 */
export function computeTerminationMessage(
  c: Pick<Container, 'terminationMessagePolicy'>,
  exitCode: number,
  fileText: string,
  logLines: () => string[],
): string {
  let text = fileText.slice(0, TERMINATION_MESSAGE_MAX_BYTES);
  if (!text && exitCode !== 0 && c.terminationMessagePolicy === 'FallbackToLogsOnError') {
    const lines = logLines()
      .filter(Boolean)
      .slice(-FALLBACK_LOG_LINES)
      .map((l) => l.split(' ').slice(2).join(' '));
    text = lines.join('\n').slice(-TERMINATION_MESSAGE_FALLBACK_BYTES);
  }
  return text.trim();
}

/** The reason a terminated container shows. */
export const terminatedReason = (exitCode: number, oomKilled: boolean): string =>
  oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';

/** An exit code a kill leaves (SIGKILL, SIGTERM): not the container's own doing, unless OOM. */
export const isKillExit = (exitCode: number, oomKilled: boolean): boolean =>
  !oomKilled && (exitCode === 137 || exitCode === 143);
