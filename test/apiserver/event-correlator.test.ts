import { describe, expect, it } from 'vitest';
import {
  COMBINED_PREFIX,
  EventCorrelator,
  SPAM_BURST,
  SPAM_REFILL_MS,
  type Correlation,
  type EventDraft,
} from '../../src/apiserver/index.js';

const job = { kind: 'Job', namespace: 'default', name: 'big', uid: 'u-job', apiVersion: 'batch/v1' };
const draft = (message: string, over: Partial<EventDraft> = {}): EventDraft => ({
  source: 'job-controller',
  involved: job,
  type: 'Normal',
  reason: 'SuccessfulCreate',
  message,
  ...over,
});

/** Correlates and "writes" (names new events e1, e2, ...), as the registry does; what was written. */
function recorder() {
  const c = new EventCorrelator();
  let n = 0;
  return (d: EventDraft, nowMs = 0): Correlation & { written?: string } => {
    const r = c.correlate(d, nowMs, `t${nowMs}`);
    if (r.skip) return r;
    const name = r.name ?? `e${++n}`;
    c.recorded(r.key, name, r.count, r.firstTimestamp ?? `t${nowMs}`);
    return { ...r, written: name };
  };
}

describe('event correlator (client-go events_cache.go)', () => {
  it('an identical event again is the same event, counted, with its first timestamp', () => {
    const say = recorder();
    expect(say(draft('Created pod: a'), 0)).toMatchObject({ count: 1, written: 'e1' });
    expect(say(draft('Created pod: a'), 5)).toMatchObject({ count: 2, written: 'e1', firstTimestamp: 't0' });
    expect(say(draft('Created pod: a', { type: 'Warning' }), 6)).toMatchObject({ count: 1, written: 'e2' });
  });

  it('from the 10th distinct message of a reason within 10 minutes, one combined event counts them', () => {
    const say = recorder();
    const out = Array.from({ length: 12 }, (_, i) => say(draft(`Created pod: p${i}`), i));
    expect(out.slice(0, 9).map((r) => [r.written, 'message' in r && r.message])).toEqual(
      Array.from({ length: 9 }, (_, i) => [`e${i + 1}`, `Created pod: p${i}`]),
    );
    expect(out[9]).toMatchObject({ written: 'e10', count: 1, message: `${COMBINED_PREFIX}Created pod: p9` });
    expect(out[10]).toMatchObject({ written: 'e10', count: 2, message: `${COMBINED_PREFIX}Created pod: p10` });
    expect(out[11]).toMatchObject({ written: 'e10', count: 3, firstTimestamp: 't9' });
    // Another reason about the same object is aggregated apart.
    expect(say(draft('Deleted pod: p0', { reason: 'SuccessfulDelete' }), 12)).toMatchObject({ count: 1 });
    // Ten minutes of quiet start the distinct messages afresh.
    expect(say(draft('Created pod: late'), 12 + 600_001)).toMatchObject({ count: 1, message: 'Created pod: late' });
  });

  it('a source writes 25 events about one object, then one every 5 minutes; other objects are apart', () => {
    const say = recorder();
    const reasons = (k: number, at: number) =>
      Array.from({ length: k }, (_, i) => say(draft('m', { reason: `R${at}-${i}` }), at).skip);
    expect(reasons(SPAM_BURST, 0).every((s) => !s)).toBe(true);
    expect(say(draft('m', { reason: 'late' }), 1).skip).toBe(true);
    expect(say(draft('m', { involved: { ...job, name: 'other', uid: 'u-other' } }), 1).skip).toBe(false);
    expect(say(draft('m', { source: 'kubelet' }), 1).skip).toBe(false);
    expect(say(draft('m', { reason: 'refilled' }), SPAM_REFILL_MS + 1).skip).toBe(false);
    expect(say(draft('m', { reason: 'again' }), SPAM_REFILL_MS + 2).skip).toBe(true);
  });

  it('an event dropped by the filter still counts: the next one let through is created with its count', () => {
    const say = recorder();
    for (let i = 0; i < SPAM_BURST; i++) say(draft('m', { reason: `R${i}` }), 0);
    expect(say(draft('dropped', { reason: 'X' }), 1).skip).toBe(true);
    expect(say(draft('dropped', { reason: 'X' }), SPAM_REFILL_MS + 1)).toMatchObject({
      count: 2,
      name: undefined,
      firstTimestamp: 't1',
    });
  });
});
