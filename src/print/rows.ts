// The columns kubectl prints for jobs, pods and events (reference §7.2–7.4, §4.3).
import { humanDuration, type ContainerStatus, type Event, type Job, type Pod } from '../api/index.js';
import type { Palette } from './colour.js';

const since = (t: string | undefined, nowMs: number): string =>
  t ? humanDuration(nowMs - Date.parse(t)) : '<unknown>';
const cond = (job: Job, type: string) => job.status?.conditions?.some((c) => c.type === type && c.status === 'True');

export function jobStatusText(job: Job): string {
  if (cond(job, 'Complete')) return 'Complete';
  if (cond(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (cond(job, 'Suspended')) return 'Suspended';
  if (cond(job, 'FailureTarget')) return 'FailureTarget';
  if (cond(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec.parallelism ?? 1;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(job: Job, nowMs: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : nowMs;
  return humanDuration(end - Date.parse(start));
}

export const JOB_HEADERS = ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'];
export const JOB_WIDE_HEADERS = [...JOB_HEADERS, 'CONTAINERS', 'IMAGES', 'SELECTOR'];

export function selectorString(job: Job): string {
  const s = job.spec.selector;
  if (!s) return '<none>';
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function jobRow(job: Job, nowMs: number, wide: boolean, p: Palette): string[] {
  const row = [
    job.metadata.name ?? '',
    p.status(jobStatusText(job)),
    jobCompletions(job),
    jobDuration(job, nowMs),
    since(job.metadata.creationTimestamp, nowMs),
  ];
  if (wide) {
    const cs = job.spec.template.spec.containers;
    row.push(cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(','), selectorString(job));
  }
  return row;
}

/** The STATUS column of `get pods` (reference §4.3). */
export function podStatusText(pod: Pod): string {
  const st = pod.status ?? {};
  let reason = st.reason || st.phase || 'Pending';
  const inits = st.initContainerStatuses ?? [];
  let initializing = false;
  const nInit = pod.spec.initContainers?.length ?? 0;
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i];
    const t = s.state.terminated;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t)
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (s.state.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${s.state.waiting.reason}`;
    else reason = `Init:${i}/${nInit}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const s = cs[i];
      if (s.state.waiting?.reason) reason = s.state.waiting.reason;
      else if (s.state.terminated?.reason) reason = s.state.terminated.reason;
      else if (s.state.terminated)
        reason = s.state.terminated.signal
          ? `Signal:${s.state.terminated.signal}`
          : `ExitCode:${s.state.terminated.exitCode}`;
      else if (s.ready && s.state.running) hasRunning = true;
      else if (s.state.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  // A pod the kubelet ended itself (DeadlineExceeded, ...) shows that reason, not its containers'.
  if ((st.phase === 'Failed' || st.phase === 'Succeeded') && st.reason) reason = st.reason;
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed') reason = 'Terminating';
  return reason;
}

export function podRestarts(pod: Pod, nowMs: number): string {
  const all: ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  let restarts = 0;
  let last: number | undefined;
  for (const s of all) {
    restarts += s.restartCount ?? 0;
    const f = s.lastState?.terminated?.finishedAt;
    if (f && (last === undefined || Date.parse(f) > last)) last = Date.parse(f);
  }
  return restarts > 0 && last !== undefined ? `${restarts} (${humanDuration(nowMs - last)} ago)` : String(restarts);
}

export const POD_HEADERS = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
export const POD_WIDE_HEADERS = [...POD_HEADERS, 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];

export function podRow(pod: Pod, nowMs: number, wide: boolean, p: Palette): string[] {
  const cs = pod.status?.containerStatuses ?? [];
  const ready = cs.filter((s) => s.ready).length;
  const row = [
    pod.metadata.name ?? '',
    `${ready}/${pod.spec.containers.length}`,
    p.status(podStatusText(pod)),
    podRestarts(pod, nowMs),
    since(pod.metadata.creationTimestamp, nowMs),
  ];
  if (wide) row.push(pod.status?.podIP ?? '<none>', pod.spec.nodeName ?? '<none>', '<none>', '<none>');
  return row;
}

export const EVENT_HEADERS = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];

export function eventRow(e: Event, nowMs: number): string[] {
  const obj = `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`;
  return [since(e.lastTimestamp, nowMs), e.type, e.reason, obj, e.message];
}

/** `2m48s (x64 over 17m)` for aggregated events, as describe shows them. */
export function eventAge(e: Event, nowMs: number): string {
  const last = since(e.lastTimestamp, nowMs);
  return e.count > 1 ? `${last} (x${e.count} over ${since(e.firstTimestamp, nowMs)})` : last;
}
