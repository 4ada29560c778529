// The attempts table, the next-attempt line and the timeline (text and SVG), on fixed timestamps:
// the same input draws the same picture. (TZ is set for the clock columns.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, AttemptList } from '../../src/api/index.js';
import { attemptRow, attemptsHeader, bytesText, nextLine, runDuration } from '../../src/print/attempts.js';
import { renderTimeline, timelineModel } from '../../src/print/timeline.js';
import { timelineSvg } from '../../src/print/timeline-svg.js';
import { TablePrinter } from '../../src/print/tabwriter.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const t = (s: number) => new Date(T0 + s * 1000).toISOString();
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const PLAIN = { status: (x: string) => x, warning: (x: string) => x };

function attempt(
  n: number,
  pod: string,
  from: number,
  to: number | undefined,
  exit?: number,
  extra: Partial<Attempt> = {},
): Attempt {
  return {
    attempt: n,
    pod,
    podUID: `uid-${pod}`,
    container: 'main',
    restart: 0,
    state: to === undefined ? 'Running' : 'Terminated',
    startedAt: t(from),
    ...(to === undefined ? {} : { finishedAt: t(to), exitCode: exit, reason: exit ? 'Error' : 'Completed' }),
    ...(exit ? { counted: 'backoffLimit' as const } : {}),
    log: { bytes: 10 },
    ...extra,
  };
}

/** A Never Job that failed twice, backed off, and completed; its deadline was never reached. */
const retried: AttemptList = {
  apiVersion: 'jobctl.io/v1alpha1',
  kind: 'AttemptList',
  now: t(40),
  job: {
    name: 'nightly',
    namespace: 'default',
    uid: 'j',
    indexed: false,
    startTime: t(0),
    deadline: t(120),
    finished: { type: 'Complete', reason: 'CompletionsReached', at: t(30) },
  },
  items: [attempt(1, 'nightly-a', 1, 4, 1), attempt(2, 'nightly-b', 14, 16, 1), attempt(3, 'nightly-c', 24, 30, 0)],
  next: [],
};

let tz: string | undefined;
beforeAll(() => {
  tz = process.env.TZ;
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

describe('the attempts table', () => {
  it('one row per attempt, as kubectl lays out a table', () => {
    const nowMs = Date.parse(retried.now);
    const rows = retried.items.map((a) => attemptRow(a, false, nowMs, PLAIN));
    expect(new TablePrinter().render([attemptsHeader(false), ...rows])).toBe(
      [
        'ATTEMPT   POD         CONTAINER   RESTART   STARTED    FINISHED   DURATION   EXIT   REASON      COUNTED',
        '1         nightly-a   main        0         10:00:01   10:00:04   3.0s       1      Error       backoffLimit',
        '2         nightly-b   main        0         10:00:14   10:00:16   2.0s       1      Error       backoffLimit',
        '3         nightly-c   main        0         10:00:24   10:00:30   6.0s       0      Completed   -',
        '',
      ].join('\n'),
    );
  });

  it('says when the next pod or restart comes, and why not sooner', () => {
    const nowMs = T0;
    expect(
      nextLine(
        { kind: 'pod', at: t(37), backoffSeconds: 40, failures: 3, limit: { name: 'backoffLimit', value: 6 } },
        nowMs,
      ),
    ).toBe('next pod in 37s: 3 failures, backoff 40s, backoffLimit 6');
    expect(
      nextLine(
        {
          kind: 'pod',
          at: t(0.2),
          backoffSeconds: 10,
          failures: 1,
          index: 4,
          limit: { name: 'backoffLimitPerIndex', value: 1 },
        },
        nowMs,
      ),
    ).toBe('next pod for index 4 in 1s: 1 failure, backoff 10s, backoffLimitPerIndex 1');
    expect(
      nextLine({ kind: 'restart', at: t(17), backoffSeconds: 80, pod: 'p', container: 'main', restart: 3 }, nowMs),
    ).toBe('next restart of pod/p (container main) in 17s: restart 3, back-off 80s');
    expect(runDuration(412)).toBe('412ms');
    expect(runDuration(75_000)).toBe('75s');
    expect(bytesText(12.4 * 1024 * 1024)).toBe('12.4 MiB');
  });
});

describe('the timeline', () => {
  it('draws one lane per pod, the back-off before each replacement, and the finish; plain in a pipe', () => {
    expect(renderTimeline(timelineModel(retried, 'job/nightly'), { colour: false, width: 72 })).toBe(
      [
        'job/nightly: Complete (CompletionsReached) after 30s',
        '',
        '           0s        5s        10s       15s       20s       25s',
        '           +---------+---------+---------+---------+---------+--------+',
        'nightly-a    xxxxxxx                                                  |',
        'nightly-b          ....................xxxxx                          |',
        'nightly-c                                  ................============',
        '                                                                      |',
        '',
        '           deadline at 2m (not reached)   | Complete at 30s',
        '           > running   = succeeded   x failed   . back-off',
        '',
      ].join('\n'),
    );
  });

  it('in colour on a terminal, with the same cells', () => {
    const colour = renderTimeline(timelineModel(retried, 'job/nightly'), { colour: true, width: 72 });
    expect(colour).toContain('\x1b[31m███████\x1b[0m');
    expect(colour).toContain(`\x1b[33m${'·'.repeat(20)}\x1b[0m\x1b[31m█████\x1b[0m`);
    const plain = renderTimeline(timelineModel(retried, 'job/nightly'), { colour: false, width: 72 }).split('\n');
    // The failed lanes, their glyphs read back as the plain ones: the same cells.
    const read = (l: string) => stripAnsi(l).replace(/█/g, 'x').replace(/·/g, '.').replace(/│/g, '|');
    const lanes = colour.split('\n').slice(4, 6).map(read);
    expect(lanes).toEqual(plain.slice(4, 6));
  });

  it('Indexed: lanes by index, and the next pod of an index waiting out its back-off', () => {
    const list: AttemptList = {
      ...retried,
      now: t(12),
      job: { ...retried.job!, indexed: true, finished: undefined, deadline: t(20) },
      items: [
        attempt(1, 'x-1-b', 0, 3, 0, { index: 1 }),
        attempt(2, 'x-0-a', 1, 2, 1, { index: 0 }),
        attempt(3, 'x-0-c', 5, undefined, undefined, { index: 0 }),
        attempt(4, 'x-2-d', 2, 4, 1, { index: 2, counted: 'backoffLimitPerIndex' }),
      ],
      next: [{ kind: 'pod', at: t(14), backoffSeconds: 10, failures: 1, index: 2 }],
    };
    const text = renderTimeline(timelineModel(list, 'job/x'), { colour: false, width: 60 });
    const lanes = text
      .split('\n')
      .slice(4, 9)
      .map((l) => l.slice(0, 16).trimEnd());
    expect(lanes).toEqual(['  0 x-0-a', '  0 x-0-c', '  1 x-1-b', '  2 x-2-d', '  2 (next pod)']);
    expect(text).toMatch(/job\/x: running for 12s/);
    expect(text).toMatch(/! deadline at 20s/);
  });

  it('as SVG: well-formed, standalone, the same every time', () => {
    const svg = timelineSvg(timelineModel(retried, 'job/nightly'));
    expect(svg).toBe(timelineSvg(timelineModel(retried, 'job/nightly')));
    expect(svg.startsWith("<svg xmlns='http://www.w3.org/2000/svg'")).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // One bar per run, one dashed line per back-off, the finish marker, and no attribute twice.
    expect(svg.match(/<rect [^>]*rx='2' fill='#d6453d'><title>/g)).toHaveLength(2);
    expect(svg.match(/<rect [^>]*rx='2' fill='#2e9d4f'><title>/g)).toHaveLength(1);
    expect(svg).toContain(
      '<title>attempt 2: pod/nightly-b main restart 0, exit 1 Error, 2.0s, counted: backoffLimit</title>',
    );
    expect(svg).toContain('deadline at 2m (not reached)');
    for (const tag of svg.match(/<[a-z]+ [^>]*>/g) ?? []) {
      const names = [...tag.matchAll(/ ([a-z-]+)=/g)].map((m) => m[1]);
      expect(new Set(names).size, tag).toBe(names.length);
    }
  });
});
