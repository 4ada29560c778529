// The timeline (timeline.ts) as a standalone SVG, for a report or a pull request: the same lanes,
// back-off gaps and markers, each run with a tooltip. Deterministic: a function of the model only.
import {
  axisStep,
  offsetLabel,
  type Lane,
  type Marker,
  type Segment,
  type SegmentKind,
  type TimelineModel,
} from './timeline.js';

const COLOURS: Record<SegmentKind, string> = {
  running: '#1f9bcf',
  succeeded: '#2e9d4f',
  failed: '#d6453d',
  backoff: '#d9a400',
};
const MARKER_COLOURS: Record<Marker['kind'], string> = { deadline: '#9b3fb5', complete: '#2e9d4f', failed: '#d6453d' };

const WIDTH = 960;
const LANE = 24;
const TOP = 64;
const FONT = "font-family='ui-monospace, Menlo, Consolas, monospace'";

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const num = (n: number): string => String(Math.round(n * 10) / 10);

function tooltip(s: Segment): string {
  const a = s.attempt;
  const secs = ((s.toMs - s.fromMs) / 1000).toFixed(1);
  if (!a) return `back-off ${secs}s`;
  const end = a.state === 'Running' ? 'running' : `exit ${a.exitCode}${a.reason ? ` ${a.reason}` : ''}`;
  const counted = a.counted ? `, counted: ${a.counted}` : '';
  return `attempt ${a.attempt}: pod/${a.pod} ${a.container} restart ${a.restart}, ${end}, ${secs}s${counted}`;
}

export function timelineSvg(m: TimelineModel): string {
  const indexed = m.lanes.some((l) => l.index !== undefined);
  const labelOf = (l: Lane) => (indexed ? `${l.index ?? '-'}  ` : '') + l.label;
  const labelWidth = Math.min(320, Math.max(80, ...m.lanes.map((l) => labelOf(l).length * 7.3))) + 32;
  const plotWidth = WIDTH - labelWidth - 24;
  const span = m.endMs - m.startMs;
  const x = (t: number) => labelWidth + ((t - m.startMs) / span) * plotWidth;
  const bottom = TOP + m.lanes.length * LANE;
  const height = bottom + 70;
  const out: string[] = [
    `<svg xmlns='http://www.w3.org/2000/svg' width='${WIDTH}' height='${height}' viewBox='0 0 ${WIDTH} ${height}'>`,
    `<rect width='${WIDTH}' height='${height}' fill='#ffffff'/>`,
    `<text x='16' y='24' ${FONT} font-size='14' font-weight='bold' fill='#222'>${esc(m.title)}</text>`,
  ];
  // Axis, with a faint grid line at each tick.
  const step = axisStep(span, plotWidth, 70);
  out.push(
    `<line x1='${labelWidth}' y1='${TOP - 6}' x2='${num(labelWidth + plotWidth)}' y2='${TOP - 6}' stroke='#888'/>`,
  );
  for (let t = 0; t <= span; t += step) {
    const px = num(x(m.startMs + t));
    out.push(
      `<line x1='${px}' y1='${TOP - 10}' x2='${px}' y2='${bottom}' stroke='#e4e4e4'/>`,
      `<text x='${px}' y='${TOP - 14}' ${FONT} font-size='12' fill='#555' text-anchor='middle'>${offsetLabel(t)}</text>`,
    );
  }
  m.lanes.forEach((lane, i) => {
    const y = TOP + i * LANE;
    if (i % 2) out.push(`<rect x='0' y='${y}' width='${WIDTH}' height='${LANE}' fill='#f6f6f6'/>`);
    out.push(`<text x='16' y='${y + 16}' ${FONT} font-size='12' fill='#222'>${esc(labelOf(lane))}</text>`);
    for (const s of lane.segments) {
      const x1 = x(s.fromMs);
      const w = Math.max(2, x(s.toMs) - x1);
      if (s.kind === 'backoff') {
        out.push(
          `<line x1='${num(x1)}' y1='${y + 12}' x2='${num(x1 + w)}' y2='${y + 12}' stroke='${COLOURS.backoff}' stroke-width='2' stroke-dasharray='2 3'><title>${esc(tooltip(s))}</title></line>`,
        );
      } else {
        out.push(
          `<rect x='${num(x1)}' y='${y + 5}' width='${num(w)}' height='14' rx='2' fill='${COLOURS[s.kind]}'><title>${esc(tooltip(s))}</title></rect>`,
        );
      }
    }
  });
  const unreached: string[] = [];
  for (const mk of m.markers) {
    if (mk.atMs < m.startMs || mk.atMs > m.endMs) {
      unreached.push(`${mk.label} at ${offsetLabel(mk.atMs - m.startMs)} (not reached)`);
      continue;
    }
    const px = x(mk.atMs);
    const dash = mk.kind === 'deadline' ? ` stroke-dasharray='5 4'` : '';
    const anchor = px > WIDTH - 60 ? 'end' : 'middle';
    out.push(
      `<line x1='${num(px)}' y1='${TOP - 6}' x2='${num(px)}' y2='${bottom + 4}' stroke='${MARKER_COLOURS[mk.kind]}' stroke-width='2'${dash}/>`,
      `<text x='${num(px)}' y='${bottom + 18}' ${FONT} font-size='12' fill='${MARKER_COLOURS[mk.kind]}' text-anchor='${anchor}'>${esc(mk.label)}</text>`,
    );
  }
  // Legend.
  const items: [string, string, boolean][] = [
    ['running', COLOURS.running, false],
    ['succeeded', COLOURS.succeeded, false],
    ['failed', COLOURS.failed, false],
    ['back-off', COLOURS.backoff, true],
  ];
  let lx = labelWidth;
  const ly = height - 20;
  for (const [word, colour, dashed] of items) {
    out.push(
      dashed
        ? `<line x1='${lx}' y1='${ly - 4}' x2='${lx + 18}' y2='${ly - 4}' stroke='${colour}' stroke-width='2' stroke-dasharray='2 3'/>`
        : `<rect x='${lx}' y='${ly - 10}' width='18' height='12' rx='2' fill='${colour}'/>`,
      `<text x='${lx + 24}' y='${ly}' ${FONT} font-size='12' fill='#333'>${word}</text>`,
    );
    lx += 40 + word.length * 7.3;
  }
  if (unreached.length)
    out.push(
      `<text x='${num(lx + 16)}' y='${ly}' ${FONT} font-size='12' fill='#777'>${esc(unreached.join(', '))}</text>`,
    );
  out.push('</svg>');
  return out.join('\n') + '\n';
}
