// GET .../pods/{name}/log: reads the kubelet's captured files (current or previous run).
import { open, readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { badRequestError, makeStatus, notFoundError, StatusError, type Pod } from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import type { LogWrites } from '../runtime/log-capture.js';
import { containerLogFile } from '../runtime/log-files.js';

/** sinceSeconds, sinceTime and limitBytes of a log request, validated as the API server does. */
export function logWindow(q: URLSearchParams): { sinceMs?: number; limitBytes?: number } {
  const bad = (field: string, value: string, why: string) =>
    new StatusError(
      makeStatus(422, 'Invalid', `PodLogOptions "" is invalid: ${field}: Invalid value: ${value}: ${why}`),
    );
  const seconds = q.get('sinceSeconds');
  const time = q.get('sinceTime');
  const limit = q.get('limitBytes');
  if (seconds !== null && time !== null)
    throw new StatusError(
      makeStatus(
        422,
        'Invalid',
        'PodLogOptions "" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
      ),
    );
  const out: { sinceMs?: number; limitBytes?: number } = {};
  if (seconds !== null) {
    if (!/^\d+$/.test(seconds) || Number(seconds) < 1) throw bad('sinceSeconds', seconds, 'must be greater than 0');
    out.sinceMs = Date.now() - Number(seconds) * 1000;
  }
  if (time !== null) {
    const ms = Date.parse(time);
    if (Number.isNaN(ms)) throw new StatusError(makeStatus(400, 'BadRequest', `parsing time "${time}" as RFC 3339`));
    out.sinceMs = ms;
  }
  if (limit !== null) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) throw bad('limitBytes', limit, 'must be greater than 0');
    out.limitBytes = Number(limit);
  }
  return out;
}

export interface LogQuery {
  container?: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  timestamps: boolean;
  /** sinceSeconds / sinceTime: only lines written at or after this time. */
  sinceMs?: number;
  /** limitBytes: at most this much output (a line may be cut). */
  limitBytes?: number;
}

/** What a query lets through: lines from `sinceMs` on, and at most `limitBytes` in all. */
class LogFilter {
  private left: number;
  constructor(private readonly q: LogQuery) {
    this.left = q.limitBytes ?? Infinity;
  }

  /** The line as it is sent ('' when filtered out, or when the limit is reached). */
  pass(line: string): string {
    if (this.left <= 0) return '';
    if (this.q.sinceMs !== undefined && Date.parse(line.slice(0, line.indexOf(' '))) < this.q.sinceMs) return '';
    const text = renderLogLine(line, this.q.timestamps) + '\n';
    const size = Buffer.byteLength(text);
    if (size <= this.left) {
      this.left -= size;
      return text;
    }
    const cut = Buffer.from(text).subarray(0, this.left).toString('utf8');
    this.left = 0;
    return cut;
  }

  get full(): boolean {
    return this.left <= 0;
  }
}

/** Log lines are `<ts> <stream> <text>`. */
export function renderLogLine(line: string, timestamps: boolean): string {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  if (a < 0 || b < 0) return line;
  return timestamps ? `${line.slice(0, a)} ${line.slice(b + 1)}` : line.slice(b + 1);
}

/** The longest `logs` of a run that ended waits for its capture to finish. */
const LOG_SETTLE_MAX_MS = 10_000;

/** The longest a follower sleeps without a wake-up (a write, a change of the pod). */
const FOLLOW_SAFETY_MS = 5_000;

export async function streamLogs(
  store: ObjectStore,
  logRoot: string,
  ns: string,
  name: string,
  q: LogQuery,
  res: ServerResponse,
  isClosed: () => boolean,
  follow: Pick<LogWrites, 'onWrite' | 'settled'>,
): Promise<void> {
  const pod = store.get<Pod>('Pod', ns, name);
  if (!pod) throw notFoundError('pods', '', name);
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let container = q.container;
  if (!container) {
    if (all.length !== 1 && pod.spec.containers.length !== 1) {
      throw badRequestError(
        `a container name must be specified for pod ${name}, choose one of: [${pod.spec.containers.map((c) => c.name).join(' ')}] or one of the init containers: [${(pod.spec.initContainers ?? []).map((c) => c.name).join(' ')}]`,
      );
    }
    container = pod.spec.containers[0].name;
  }
  if (!all.some((c) => c.name === container))
    throw badRequestError(`container ${container} is not valid for pod ${name}`);
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const cs = statuses.find((s) => s.name === container);
  const restart = cs?.restartCount ?? 0;
  const uid = pod.metadata.uid ?? '';
  let run = restart;
  if (q.previous) {
    if (!cs || restart === 0 || !cs.lastState?.terminated)
      throw badRequestError(`previous terminated container "${container}" in pod "${name}" not found`);
    run = restart - 1;
  }
  const file = containerLogFile(logRoot, ns, name, uid, container, run);
  // A run that ended: its capture may still be writing the last lines (a loaded machine).
  if (q.previous || cs?.state.terminated) await follow.settled(file, LOG_SETTLE_MAX_MS);
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const waiting = cs?.state.waiting?.reason;
    if (!q.previous && (!cs || waiting))
      throw badRequestError(
        `container "${container}" in pod "${name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`,
      );
    if (!q.previous && !cs?.state.running && !cs?.state.terminated)
      throw badRequestError(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  const text = exists ? await readFile(file, 'utf8') : '';
  let lines = text.split('\n');
  const trailing = lines.pop() ?? '';
  if (q.tailLines !== undefined) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
  const filter = new LogFilter(q);
  for (const l of lines) res.write(filter.pass(l));
  if (!q.follow || q.previous || filter.full) {
    res.end();
    return;
  }
  // Follow: read what the kubelet appends, woken by its writes and by the pod's changes, until
  // this run ends (or the pod goes away). The kubelet records an exit only once the run's output
  // is all in the file, so the read after the end is the last.
  let offset = Buffer.byteLength(text) - Buffer.byteLength(trailing);
  let carry = '';
  const runEnded = (): boolean => {
    const p = store.get<Pod>('Pod', ns, name);
    if (!p || p.metadata.uid !== uid) return true;
    const s = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find(
      (x) => x.name === container,
    );
    if (!s) return false;
    if (s.restartCount !== run) return true;
    return Boolean(s.state.terminated) || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  };
  const readMore = async () => {
    const fh = await open(file, 'r').catch(() => undefined);
    if (!fh) return;
    try {
      const { size } = await fh.stat();
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      await fh.read(buf, 0, buf.length, offset);
      offset = size;
      const parts = (carry + buf.toString('utf8')).split('\n');
      carry = parts.pop() ?? '';
      for (const l of parts) res.write(filter.pass(l));
    } finally {
      await fh.close();
    }
  };
  let wake: () => void = () => undefined;
  const woken = () => wake();
  const stopWrites = follow.onWrite(file, woken);
  const stopPods = store.subscribe((c) => {
    if (c.object.kind === 'Pod' && c.object.metadata.name === name && c.object.metadata.namespace === ns) woken();
  });
  res.on('close', woken);
  try {
    for (;;) {
      if (isClosed()) return;
      const ended = runEnded();
      await readMore();
      if (ended || filter.full) {
        if (carry) res.write(filter.pass(carry));
        res.end();
        return;
      }
      let safety: NodeJS.Timeout | undefined;
      await new Promise<void>((r) => {
        wake = r;
        // A safety net, not the mechanism: a missed wake-up costs at most this long.
        safety = setTimeout(r, FOLLOW_SAFETY_MS);
      });
      clearTimeout(safety);
    }
  } finally {
    stopWrites();
    stopPods();
    res.off('close', woken);
  }
}
