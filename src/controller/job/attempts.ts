// A Job's attempts (issue 18): each run of each of its pods' containers, from the pods (those that
// exist, and those deleted, as they ended) and the runs the kubelet kept, with what each failure
// counted against, as the controller's own rules count it, and when the next attempt comes, as
// its own back-off decides. A pure function of what it is given, like decide().
import {
  ATTEMPTS_API_VERSION,
  parseDuration,
  toRfc3339,
  type Attempt,
  type AttemptList,
  type AttemptsJob,
  type ContainerStateTerminated,
  type ContainerStatus,
  type Counted,
  type Job,
  type NextAttempt,
  type Pod,
} from '../../api/index.js';
import type { RunFiles } from '../../runtime/run-records.js';
import { decide, findCondition, isFinished, type DecideConfig } from './decide.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { isIndexed, podIndex } from './indexed.js';
import { isFailed, isRemovedUncounted, isSucceeded } from './pods.js';

/** A pod of the Job with the runs kept of it; `deleted`: the pod as it ended. */
export interface KeptPod {
  pod: Pod;
  deleted: boolean;
  runs: readonly RunFiles[];
}

type Row = Omit<Attempt, 'attempt'> & { order: [number, number] };

const ms = (t: string | undefined): number => (t ? Date.parse(t) || 0 : 0);

/** What the Job looks like on a timeline. */
export function attemptsJob(job: Job): AttemptsJob {
  const st = job.status ?? {};
  const done = findCondition(st, 'Complete') ?? findCondition(st, 'Failed');
  const deadline =
    job.spec.activeDeadlineSeconds !== undefined && st.startTime
      ? toRfc3339(new Date(Date.parse(st.startTime) + job.spec.activeDeadlineSeconds * 1000))
      : undefined;
  return {
    name: job.metadata.name ?? '',
    namespace: job.metadata.namespace ?? '',
    uid: job.metadata.uid ?? '',
    indexed: isIndexed(job),
    ...(job.spec.completions != null ? { completions: job.spec.completions } : {}),
    ...(st.startTime ? { startTime: st.startTime } : {}),
    ...(deadline ? { deadline } : {}),
    ...(done
      ? { finished: { type: done.type as 'Complete' | 'Failed', reason: done.reason, at: done.lastTransitionTime } }
      : {}),
  };
}

const statusesOf = (p: Pod): { s: ContainerStatus | undefined; name: string; init: boolean }[] => [
  ...(p.spec.initContainers ?? []).map((c) => ({
    name: c.name,
    init: true,
    s: p.status?.initContainerStatuses?.find((x) => x.name === c.name),
  })),
  ...p.spec.containers.map((c) => ({
    name: c.name,
    init: false,
    s: p.status?.containerStatuses?.find((x) => x.name === c.name),
  })),
];

/** The runs of one container: its current and previous from the pod's status, earlier ones from their records. */
function containerRuns(kept: KeptPod, name: string, init: boolean, s: ContainerStatus | undefined): Row[] {
  const p = kept.pod;
  const ended = new Map<number, ContainerStateTerminated>();
  const files = new Map<number, RunFiles>();
  for (const r of kept.runs) {
    if (r.container !== name) continue;
    files.set(r.restart, r);
    if (r.record) ended.set(r.restart, r.record);
  }
  const current = s?.restartCount ?? 0;
  if (s?.state.terminated && !ended.has(current)) ended.set(current, s.state.terminated);
  // In crash-loop back-off the run that ended is still the current one (not yet restarted).
  const last = s?.state.waiting ? current : current - 1;
  if (s?.lastState.terminated && last >= 0 && !ended.has(last)) ended.set(last, s.lastState.terminated);
  const base = {
    pod: p.metadata.name ?? '',
    podUID: p.metadata.uid ?? '',
    ...(podIndex(p) !== undefined ? { index: podIndex(p) } : {}),
    container: name,
    ...(init ? { init } : {}),
    ...(kept.deleted ? { podDeleted: true } : {}),
  };
  const log = (restart: number): Attempt['log'] => {
    const f = files.get(restart);
    return { bytes: f?.logBytes ?? 0, ...(f?.dropped ? { dropped: f.dropped } : {}) };
  };
  const created = p.metadata.creationTimestamp ?? '';
  const rows: Row[] = [...ended.entries()].map(([restart, t]) => ({
    ...base,
    restart,
    state: 'Terminated',
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    exitCode: t.exitCode,
    ...(t.reason ? { reason: t.reason } : {}),
    ...(t.message ? { message: t.message } : {}),
    log: log(restart),
    order: [0, ms(t.startedAt ?? created)],
  }));
  if (!ended.has(current) && !(kept.deleted && !s?.state.running)) {
    if (s?.state.running)
      rows.push({
        ...base,
        restart: current,
        state: 'Running',
        startedAt: s.state.running.startedAt,
        log: log(current),
        order: [0, ms(s.state.running.startedAt ?? created)],
      });
    else
      rows.push({
        ...base,
        restart: current,
        state: 'Waiting',
        reason: s?.state.waiting?.reason ?? (p.spec.nodeName ? 'ContainerCreating' : 'Pending'),
        log: log(current),
        order: [1, ms(created)],
      });
  }
  return rows;
}

/** What the pod's failure counted against, and the rule that decided (podFailurePolicy). */
function podCount(job: Job, p: Pod): { counted?: Counted; rule?: number } {
  if (!isFailed(job, p) || isRemovedUncounted(p)) return {};
  const match = job.spec.podFailurePolicy ? matchPodFailurePolicy(job, p) : undefined;
  if (match && match.action !== 'Count') return { counted: match.action, rule: match.rule };
  const limit: Counted = job.spec.backoffLimitPerIndex !== undefined ? 'backoffLimitPerIndex' : 'backoffLimit';
  return { counted: limit, ...(match ? { rule: match.rule } : {}) };
}

/** The pod's attempts, counted by its Job's rules (none for a pod no Job owns). */
function podAttempts(job: Job | undefined, kept: KeptPod): Row[] {
  const p = kept.pod;
  const rows = statusesOf(p).flatMap(({ name, init, s }) => containerRuns(kept, name, init, s));
  if (!job) return rows;
  const newest = new Map<string, number>();
  for (const r of rows) newest.set(r.container, Math.max(newest.get(r.container) ?? 0, r.restart));
  // An OnFailure run that failed counts against backoffLimit (as the restart it brings does).
  if (p.spec.restartPolicy === 'OnFailure') for (const r of rows) if (r.exitCode) r.counted = 'backoffLimit';
  const finals = rows.filter((r) => r.restart === newest.get(r.container) && r.state === 'Terminated');
  // Stopped because the Job was finishing (its deadline, its limit): that is why it ended.
  const jobFailure = findCondition(job.status, 'FailureTarget') ?? findCondition(job.status, 'Failed');
  const stoppedByJob =
    jobFailure &&
    p.metadata.deletionTimestamp &&
    !isSucceeded(p) &&
    p.metadata.deletionTimestamp >= (jobFailure.lastTransitionTime ?? '') &&
    !finals.some((r) => r.exitCode && r.exitCode !== 137 && r.exitCode !== 143);
  if (stoppedByJob) {
    for (const r of finals) {
      if (!r.exitCode) continue;
      r.reason = jobFailure.reason;
      delete r.counted;
    }
    return rows;
  }
  if (p.status?.phase === 'Failed' && p.status.reason)
    for (const r of finals) if (r.exitCode !== 0) r.reason = p.status.reason; // Evicted, DeadlineExceeded
  const count = podCount(job, p);
  if (count.counted) {
    // On the runs that failed it (a failed exit), else on its last runs.
    const failing = finals.filter((r) => r.exitCode);
    for (const r of failing.length ? failing : finals.slice(-1)) Object.assign(r, count);
  }
  return rows;
}

/** The crash-loop back-offs under way: each container's next restart. */
function restartsDue(p: Pod): NextAttempt[] {
  const out: NextAttempt[] = [];
  for (const { s } of statusesOf(p)) {
    const w = s?.state.waiting;
    const t = s?.lastState.terminated;
    if (w?.reason !== 'CrashLoopBackOff' || !t?.finishedAt) continue;
    const delayMs = parseDuration(/back-off (\S+)/.exec(w.message ?? '')?.[1] ?? '');
    if (delayMs === undefined) continue;
    out.push({
      kind: 'restart',
      at: new Date(Date.parse(t.finishedAt) + delayMs).toISOString(),
      backoffSeconds: delayMs / 1000,
      pod: p.metadata.name,
      container: s!.name,
      restart: s!.restartCount + 1,
    });
  }
  return out;
}

/**
 * The attempts of a Job's pods (`kept`), numbered in the order they started; `pods` is what the
 * controller reads of the Job's pods (its back-off is decided on them). Without a Job (a pod no
 * Job owns): its attempts, counted against nothing.
 */
export function jobAttempts(
  job: Job | undefined,
  kept: readonly KeptPod[],
  pods: readonly Pod[],
  now: Date,
  config: DecideConfig,
): AttemptList {
  const rows = kept.flatMap((k) => podAttempts(job, k));
  rows.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.pod.localeCompare(b.pod));
  const items = rows.map(({ order: _order, ...r }, i) => ({ attempt: i + 1, ...r }));
  const next: NextAttempt[] = [];
  for (const k of kept) if (!k.deleted && (!job || !isFinished(job))) next.push(...restartsDue(k.pod));
  if (job && !isFinished(job) && !job.spec.suspend) {
    const plan = decide(job, pods, now, config);
    const b = plan.backoff;
    if (b) {
      const perIndex = b.index !== undefined;
      next.push({
        kind: 'pod',
        at: new Date(now.getTime() + b.remainingMs).toISOString(),
        backoffSeconds: b.delayMs / 1000,
        failures: b.failures,
        limit: perIndex
          ? { name: 'backoffLimitPerIndex', value: job.spec.backoffLimitPerIndex ?? 0 }
          : { name: 'backoffLimit', value: job.spec.backoffLimit ?? 6 },
        ...(perIndex ? { index: b.index } : {}),
      });
    }
  }
  next.sort((a, b) => a.at.localeCompare(b.at));
  return {
    apiVersion: ATTEMPTS_API_VERSION,
    kind: 'AttemptList',
    now: now.toISOString(),
    ...(job ? { job: attemptsJob(job) } : {}),
    items,
    next,
  };
}
