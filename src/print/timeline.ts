// `jobctl timeline job/NAME`: one lane per pod (by index for Indexed Jobs) on a shared time axis —
// runs (running, succeeded, failed), the back-off gaps between attempts, the Job's deadline and its
// finish. The model is drawn as text here (colour on a terminal, plain characters elsewhere) and
// as SVG in timeline-svg.ts. Strings only, from the attempts and their `now`: deterministic.
import { humanDuration, type Attempt, type AttemptList } from '../api/index.js';

export type SegmentKind = 'running' | 'succeeded' | 'failed' | 'backoff';

export interface Segment {
  fromMs: number;
  toMs: number;
  kind: SegmentKind;
  /** The attempt it draws (none for a back-off gap). */
  attempt?: Attempt;
}

export interface Lane {
  label: string;
  index?: number;
  segments: Segment[];
}

export interface Marker {
  atMs: number;
  kind: 'deadline' | 'complete' | 'failed';
  label: string;
}

export interface TimelineModel {
  title: string;
  startMs: number;
  endMs: number;
  lanes: Lane[];
  markers: Marker[];
}

const ms = (t: string | undefined): number | undefined => (t ? Date.parse(t) : undefined);

function runKind(a: Attempt): SegmentKind {
  if (a.state === 'Running') return 'running';
  return a.exitCode === 0 ? 'succeeded' : 'failed';
}

/** The lanes, markers and span of a Job's (or a pod's) attempts. */
export function timelineModel(list: AttemptList, label: string): TimelineModel {
  const nowMs = Date.parse(list.now);
  const job = list.job;
  const byPod = new Map<string, Lane & { first: number; key: number; uid: string }>();
  const runs = list.items.filter((a) => a.startedAt);
  for (const a of runs) {
    const from = ms(a.startedAt)!;
    const to = a.state === 'Running' ? nowMs : Math.max(from, ms(a.finishedAt) ?? from);
    let lane = byPod.get(a.podUID);
    if (!lane) {
      const index = a.index === undefined ? {} : { index: a.index };
      lane = { label: a.pod, ...index, segments: [], first: from, key: a.index ?? 0, uid: a.podUID };
      byPod.set(a.podUID, lane);
    }
    const prev = lane.segments.at(-1);
    // A restart in the same pod (OnFailure): the crash-loop back-off lies between its runs.
    if (prev && a.restart > 0 && prev.attempt?.container === a.container && from > prev.toMs)
      lane.segments.push({ fromMs: prev.toMs, toMs: from, kind: 'backoff' });
    lane.segments.push({ fromMs: from, toMs: to, kind: runKind(a), attempt: a });
    lane.first = Math.min(lane.first, from);
  }
  const lanes: Lane[] = [...byPod.values()].sort((a, b) => a.key - b.key || a.first - b.first);
  // A replacement pod waited out the Job's back-off: from the failure before it (of its index,
  // for an Indexed Job) to its start.
  const failures = runs.filter((a) => runKind(a) === 'failed' && a.counted);
  for (const lane of lanes as (Lane & { first: number; uid: string })[]) {
    const before = failures
      .filter((f) => f.podUID !== lane.uid && (lane.index === undefined || f.index === lane.index))
      .filter((f) => ms(f.finishedAt)! <= lane.first)
      .map((f) => ms(f.finishedAt)!);
    const since = before.length ? Math.max(...before) : undefined;
    if (since !== undefined && since < lane.first)
      lane.segments.unshift({ fromMs: since, toMs: lane.first, kind: 'backoff' });
  }
  // The back-off under way: the next pod's lane, waiting.
  for (const n of list.next) {
    if (n.kind !== 'pod') continue;
    const last = failures.filter((f) => n.index === undefined || f.index === n.index).map((f) => ms(f.finishedAt)!);
    if (!last.length) continue;
    const lane: Lane = {
      label: '(next pod)',
      segments: [{ fromMs: Math.max(...last), toMs: Date.parse(n.at), kind: 'backoff' }],
    };
    if (n.index !== undefined) lane.index = n.index;
    lanes.push(lane);
  }
  const markers: Marker[] = [];
  const deadline = ms(job?.deadline);
  if (deadline !== undefined) markers.push({ atMs: deadline, kind: 'deadline', label: 'deadline' });
  const done = job?.finished;
  if (done?.at) {
    // Conditions keep whole seconds: a finish stamped before the last run's end is at that end.
    const lastEnd = Math.max(0, ...lanes.flatMap((l) => l.segments.map((s) => s.toMs)));
    let atMs = Date.parse(done.at);
    if (lastEnd > atMs && lastEnd - atMs < 1000) atMs = lastEnd;
    markers.push({ atMs, kind: done.type === 'Complete' ? 'complete' : 'failed', label: done.type });
  }
  // A finished Job's picture ends at its finish (a deadline it never reached is said, not drawn).
  const times = [
    ...lanes.flatMap((l) => l.segments.flatMap((s) => [s.fromMs, s.toMs])),
    ...markers.filter((mk) => !done || mk.kind !== 'deadline').map((mk) => mk.atMs),
  ];
  const startMs = ms(job?.startTime) ?? (times.length ? Math.min(...times) : nowMs);
  const endMs = Math.max(startMs + 1000, ...times, done ? 0 : nowMs);
  return { title: titleOf(list, label, startMs, nowMs), startMs, endMs, lanes, markers };
}

function titleOf(list: AttemptList, label: string, startMs: number, nowMs: number): string {
  const done = list.job?.finished;
  if (!list.job) return label;
  if (done?.at) {
    const took = humanDuration(Date.parse(done.at) - startMs);
    return `${label}: ${done.type}${done.reason ? ` (${done.reason})` : ''} after ${took}`;
  }
  return `${label}: running for ${humanDuration(nowMs - startMs)}`;
}

/** An axis step that leaves room for its labels: 1s, 2s, 5s, 10s, 15s, 30s, 1m, ... */
export function axisStep(spanMs: number, columns: number, minGap = 10): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map(
    (s) => s * 1000,
  );
  for (const s of steps) if ((s / spanMs) * columns >= minGap) return s;
  return steps.at(-1)!;
}

/** `0s`, `45s`, `1m30s`, `2h`: an offset on the axis. */
export function offsetLabel(offsetMs: number): string {
  const s = Math.round(offsetMs / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s / 60}m`;
  return s % 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : `${s / 3600}h`;
}

export interface TextStyle {
  /** Colour and block characters (a terminal), else plain ASCII (a pipe, NO_COLOR). */
  colour: boolean;
  /** The terminal's width. */
  width: number;
}

const GLYPHS = {
  colour: { running: '█', succeeded: '█', failed: '█', backoff: '·', deadline: '│', finish: '│', axis: '─', tick: '┬' },
  plain: { running: '>', succeeded: '=', failed: 'x', backoff: '.', deadline: '!', finish: '|', axis: '-', tick: '+' },
};
const SGR: Record<SegmentKind | 'deadline' | 'complete' | 'failedMark' | 'dim', string> = {
  running: '36',
  succeeded: '32',
  failed: '31',
  backoff: '33',
  deadline: '35',
  complete: '32',
  failedMark: '31',
  dim: '2',
};
const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Which wins a cell several segments fall in. */
const RANK: Record<SegmentKind, number> = { failed: 4, running: 3, succeeded: 2, backoff: 1 };

/** The picture as lines of text that fit `style.width`. */
export function renderTimeline(m: TimelineModel, style: TextStyle): string {
  const g = style.colour ? GLYPHS.colour : GLYPHS.plain;
  const indexed = m.lanes.some((l) => l.index !== undefined);
  const labelOf = (l: Lane) => (indexed ? `${l.index ?? '-'}`.padStart(3) + ' ' : '') + l.label;
  const labelWidth = Math.min(40, Math.max(8, ...m.lanes.map((l) => labelOf(l).length))) + 2;
  const cols = Math.max(20, style.width - labelWidth - 1);
  const span = m.endMs - m.startMs;
  const col = (t: number) => Math.min(cols - 1, Math.max(0, Math.floor(((t - m.startMs) / span) * cols)));
  const out: string[] = [m.title, ''];
  // The axis: labels over ticks.
  const step = axisStep(span, cols);
  const labels = Array<string>(cols).fill(' ');
  const ticks = Array<string>(cols).fill(g.axis);
  for (let t = 0; t <= span; t += step) {
    const c = col(m.startMs + t);
    ticks[c] = g.tick;
    const text = offsetLabel(t);
    if (c + text.length <= cols && labels.slice(c, c + text.length + 1).every((x) => x === ' '))
      for (let i = 0; i < text.length; i++) labels[c + i] = text[i];
  }
  const pad = ' '.repeat(labelWidth);
  out.push(pad + labels.join('').trimEnd(), pad + ticks.join(''));
  const inside = (mk: Marker) => mk.atMs >= m.startMs && mk.atMs <= m.endMs;
  const markerCols = m.markers.filter(inside).map((mk) => ({ c: col(mk.atMs), mk }));
  for (const lane of m.lanes) {
    const cells: (SegmentKind | undefined)[] = Array(cols).fill(undefined);
    for (const s of lane.segments) {
      const a = col(s.fromMs);
      const b = s.kind === 'backoff' ? Math.max(a, col(s.toMs) - 1) : Math.max(a, col(s.toMs));
      for (let c = a; c <= b; c++) if (!cells[c] || RANK[s.kind] > RANK[cells[c]!]) cells[c] = s.kind;
    }
    // Cells of one colour in one escape sequence.
    const parts: { code?: string; ch: string }[] = [];
    for (let c = 0; c < cols; c++) {
      const k = cells[c];
      const mark = !k && markerCols.find((x) => x.c === c);
      if (k) parts.push({ code: SGR[k], ch: g[k] });
      else if (mark) parts.push({ code: markerCode(mark.mk), ch: mark.mk.kind === 'deadline' ? g.deadline : g.finish });
      else parts.push({ ch: ' ' });
    }
    let row = '';
    for (let i = 0; i < parts.length;) {
      let j = i;
      while (j < parts.length && parts[j].code === parts[i].code) j++;
      const text = parts
        .slice(i, j)
        .map((x) => x.ch)
        .join('');
      row += parts[i].code ? paint(style.colour, parts[i].code!, text) : text;
      i = j;
    }
    let text = labelOf(lane);
    if (text.length > labelWidth - 2) text = text.slice(0, labelWidth - 3) + '~';
    out.push(text.padEnd(labelWidth) + row.replace(/ +$/, ''));
  }
  if (m.markers.length) {
    const row = Array<string>(cols).fill(' ');
    const text = m.markers.map((mk) =>
      inside(mk)
        ? `${markerGlyph(mk, g, style.colour)} ${mk.label} at ${offsetLabel(mk.atMs - m.startMs)}`
        : `${mk.label} at ${offsetLabel(mk.atMs - m.startMs)} (not reached)`,
    );
    for (const { c, mk } of markerCols) row[c] = markerGlyph(mk, g, style.colour);
    out.push(pad + row.join('').trimEnd(), '', pad + text.join('   '));
  } else out.push('');
  const key = (k: SegmentKind, word: string) => `${paint(style.colour, SGR[k], g[k])} ${word}`;
  out.push(
    pad +
      [
        key('running', 'running'),
        key('succeeded', 'succeeded'),
        key('failed', 'failed'),
        key('backoff', 'back-off'),
      ].join('   '),
  );
  return out.join('\n') + '\n';
}

const markerCode = (mk: Marker): string =>
  mk.kind === 'deadline' ? SGR.deadline : mk.kind === 'complete' ? SGR.complete : SGR.failedMark;

function markerGlyph(mk: Marker, g: (typeof GLYPHS)['plain'], colour: boolean): string {
  return paint(colour, markerCode(mk), mk.kind === 'deadline' ? g.deadline : g.finish);
}
