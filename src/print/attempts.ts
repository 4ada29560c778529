// `jobctl attempts`: a kubectl-style table of every attempt, and the line that says when the next
// one comes. Strings only; times in the local zone (TZ), as `date` prints them.
import { humanDuration, type Attempt, type AttemptList, type NextAttempt } from '../api/index.js';
import type { Palette } from './colour.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `15:04:05`, with the day in front (`Nov 29 15:04:05`) when it is not the day of `nowMs`. */
export function clock(iso: string | undefined, nowMs: number): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '-';
  const now = new Date(nowMs);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${MONTHS[d.getMonth()]} ${d.getDate()} ${time}`;
}

/** kubectl's durations, with the milliseconds of a run shorter than a second. */
export function runDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`; // engines' clocks may put a fast exit before its start
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  return humanDuration(ms);
}

export function countedText(a: Pick<Attempt, 'counted' | 'rule'>): string {
  if (!a.counted) return '-';
  const name = a.counted === 'Ignore' ? 'ignored' : a.counted;
  return a.rule === undefined ? name : `${name} (rule ${a.rule})`;
}

export function attemptsHeader(indexed: boolean): string[] {
  return [
    'ATTEMPT',
    'POD',
    ...(indexed ? ['INDEX'] : []),
    'CONTAINER',
    'RESTART',
    'STARTED',
    'FINISHED',
    'DURATION',
    'EXIT',
    'REASON',
    'COUNTED',
  ];
}

export function attemptRow(a: Attempt, indexed: boolean, nowMs: number, p: Palette): string[] {
  const start = a.startedAt ? Date.parse(a.startedAt) : undefined;
  const end = a.finishedAt ? Date.parse(a.finishedAt) : a.state === 'Running' ? nowMs : undefined;
  const reason = a.state === 'Running' ? 'Running' : (a.reason ?? (a.exitCode === 0 ? 'Completed' : '-'));
  return [
    String(a.attempt),
    a.pod,
    ...(indexed ? [a.index === undefined ? '-' : String(a.index)] : []),
    a.init ? `${a.container} (init)` : a.container,
    String(a.restart),
    clock(a.startedAt, nowMs),
    a.state === 'Running' ? '-' : clock(a.finishedAt, nowMs),
    start !== undefined && end !== undefined ? runDuration(end - start) : '-',
    a.exitCode === undefined ? '-' : String(a.exitCode),
    p.status(reason),
    countedText(a),
  ];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `next pod in 37s: 3 failures, backoff 40s, backoffLimit 6`, or a container's
 * `next restart of pod/NAME (container C) in 17s: restart 3, back-off 40s`.
 */
export function nextLine(n: NextAttempt, nowMs: number): string {
  const inMs = Math.max(0, Date.parse(n.at) - nowMs);
  const when = inMs === 0 ? 'due now' : `in ${humanDuration(Math.ceil(inMs / 1000) * 1000)}`;
  const delay = humanDuration(n.backoffSeconds * 1000);
  if (n.kind === 'restart')
    return `next restart of pod/${n.pod} (container ${n.container}) ${when}: restart ${n.restart}, back-off ${delay}`;
  const target = n.index === undefined ? 'next pod' : `next pod for index ${n.index}`;
  const limit = n.limit ? `, ${n.limit.name} ${n.limit.value}` : '';
  return `${target} ${when}: ${plural(n.failures ?? 0, 'failure')}, backoff ${delay}${limit}`;
}

export function attemptsIndexed(list: AttemptList): boolean {
  return list.job?.indexed ?? list.items.some((a) => a.index !== undefined);
}

/** `512 B`, `3.2 KiB`, `12.4 MiB`: how much output was dropped. */
export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Why an attempt's output is not there: it went at the Job's cap. */
export function droppedText(a: Attempt): string | undefined {
  const d = a.log.dropped;
  return (
    d &&
    `output dropped at the job's log cap (${bytesText(d.capBytes)} per job, JOBCTL_JOB_LOG_CAP): ${bytesText(d.bytes)}`
  );
}

/** `[pod/NAME/CONTAINER index=2 attempt=3] `, as `logs --prefix` prefixes, with the attempt. */
export function attemptPrefix(a: Attempt): string {
  const index = a.index === undefined ? '' : ` index=${a.index}`;
  return `[pod/${a.pod}/${a.container}${index} attempt=${a.attempt}] `;
}
