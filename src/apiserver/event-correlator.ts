// What an event recorder does with an event before it reaches the API, as client-go's correlator
// (tools/record/events_cache.go) does for every Kubernetes component:
//  1. aggregate: from the 10th distinct message of the same source, object, type and reason within
//     10 minutes, the event becomes one "(combined from similar events): <message>" event, counted;
//  2. count: an event seen before (same source, object, field path, type, reason and message) is
//     the same event again, its count raised;
//  3. filter spam: each source may write 25 events about one object at once, then one every 5
//     minutes (a token bucket); the rest are dropped.
// A Job of 100,000 pods therefore has a handful of SuccessfulCreate events, not 100,000, as on a
// cluster. Each of the three remembers at most 4,096 keys, the least recently used forgotten.
import type { ObjectReference } from '../api/index.js';

export const EVENT_KEYS_MAX = 4096;
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
export const COMBINED_PREFIX = '(combined from similar events): ';

export interface EventDraft {
  source: string;
  involved: ObjectReference;
  type: string;
  reason: string;
  message: string;
}

/** What to write: a new event (`name` undefined) or the event `name` again with `count`. */
export type Correlation =
  { skip: true } | { skip: false; key: string; message: string; count: number; name?: string; firstTimestamp?: string };

/** A map that forgets its least recently used entry beyond `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

interface Seen {
  count: number;
  name: string;
  firstTimestamp: string;
}

const objectKey = (d: EventDraft) => {
  const o = d.involved;
  return [d.source, '', o.kind, o.namespace, o.name, o.uid, o.apiVersion].join('\u0000');
};

export class EventCorrelator {
  private readonly aggregates = new Lru<{ messages: Set<string>; lastMs: number }>(EVENT_KEYS_MAX);
  private readonly seen = new Lru<Seen>(EVENT_KEYS_MAX);
  private readonly buckets = new Lru<{ tokens: number; atMs: number }>(EVENT_KEYS_MAX);

  correlate(d: EventDraft, nowMs: number, now: string): Correlation {
    // 1. Aggregation by source, object, type and reason (the reporting controller and instance
    // are the source's component and host).
    const aggregateKey = [objectKey(d), d.type, d.reason, d.source, ''].join('\u0000');
    let record = this.aggregates.get(aggregateKey);
    if (!record || nowMs - record.lastMs > AGGREGATE_INTERVAL_MS) record = { messages: new Set(), lastMs: nowMs };
    record.messages.add(d.message);
    record.lastMs = nowMs;
    this.aggregates.set(aggregateKey, record);
    let key = [objectKey(d), d.involved.fieldPath ?? '', d.type, d.reason, d.message].join('\u0000');
    let message = d.message;
    if (record.messages.size >= AGGREGATE_MAX_EVENTS) {
      record.messages.delete(record.messages.values().next().value!);
      key = aggregateKey;
      message = COMBINED_PREFIX + d.message;
    }
    // 2. Counting: remembered (with its next count) even when the filter then drops it; one
    // dropped before it was ever written has no name yet, and is created when next let through.
    const last = this.seen.get(key);
    const count = last ? last.count + 1 : 1;
    this.seen.set(key, { count, name: last?.name ?? '', firstTimestamp: last?.firstTimestamp ?? now });
    // 3. The spam filter, per source and object.
    const spamKey = objectKey(d);
    const bucket = this.buckets.get(spamKey) ?? { tokens: SPAM_BURST, atMs: nowMs };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (nowMs - bucket.atMs) / SPAM_REFILL_MS);
    bucket.atMs = nowMs;
    this.buckets.set(spamKey, bucket);
    if (bucket.tokens < 1) return { skip: true };
    bucket.tokens -= 1;
    return last
      ? { skip: false, key, message, count, name: last.name || undefined, firstTimestamp: last.firstTimestamp }
      : { skip: false, key, message, count };
  }

  /** The event as written: its name and first timestamp, for the next one of the same key. */
  recorded(key: string, name: string, count: number, firstTimestamp: string): void {
    this.seen.set(key, { count, name, firstTimestamp });
  }
}
