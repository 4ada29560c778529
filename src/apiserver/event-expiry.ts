// Events expire an hour after they were last written, as with the API server's default
// --event-ttl (an etcd lease per event, renewed by each update), also while their Job lives on.
// Expiry goes by revision: every sweep notes the store's revision and the time, so the events
// last written before the newest note older than the TTL are due. Like the API server's leases,
// which it shares among the events of a minute, an event goes up to one sweep late.
import type { Event } from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import type { Clock } from './registry.js';

/** How many expired events one sweep removes (a big backlog goes over several sweeps). */
export const EVENT_SWEEP_BATCH = 1000;

interface Mark {
  atMs: number;
  rev: number;
}

/** When an event was last written: the times Kubernetes' recorder sets, else its creation. */
export function eventWrittenMs(e: Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** The revision at or below which everything was written before `cutoffMs`; drops the marks it passes. */
export function takeDueRevision(marks: Mark[], cutoffMs: number): number | undefined {
  let due: number | undefined;
  while (marks.length && marks[0].atMs <= cutoffMs) due = marks.shift()!.rev;
  return due;
}

export class EventExpiry {
  private readonly marks: Mark[] = [];
  private timer?: NodeJS.Timeout;
  private pendingRev?: number;
  readonly sweepEveryMs: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {
    // A sixtieth of the TTL (a minute for an hour), as the API server's lease reuse.
    this.sweepEveryMs = Math.min(60_000, Math.max(200, Math.floor(ttlMs / 60)));
  }

  /**
   * At start: removes the events that expired while no server ran, and notes when the rest were
   * written (one mark per sweep period), so they expire on time rather than a TTL after the start.
   */
  start(): void {
    const now = this.clock.now().getTime();
    const expired: Event[] = [];
    const byRev: Mark[] = [];
    for (const json of this.store.listJson('Event')) {
      const e = JSON.parse(json) as Event;
      const written = eventWrittenMs(e);
      if (written + this.ttlMs <= now) expired.push(e);
      else byRev.push({ atMs: written, rev: Number(e.metadata.resourceVersion) });
    }
    this.remove(expired.map((e) => ({ namespace: e.metadata.namespace ?? '', name: e.metadata.name ?? '' })));
    byRev.sort((a, b) => a.rev - b.rev);
    for (const m of byRev) {
      const last = this.marks.at(-1);
      // Later revisions never count as written earlier than those before them.
      const atMs = Math.max(m.atMs, last?.atMs ?? 0);
      if (last && atMs - last.atMs < this.sweepEveryMs) last.rev = m.rev;
      else this.marks.push({ atMs, rev: m.rev });
    }
    this.timer = setInterval(() => this.sweep(), this.sweepEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sweep(): void {
    const now = this.clock.now().getTime();
    this.marks.push({ atMs: now, rev: this.store.currentRevision() });
    const due = takeDueRevision(this.marks, now - this.ttlMs);
    if (due !== undefined) this.pendingRev = due;
    if (this.pendingRev === undefined) return;
    const keys = this.store.eventKeysUpTo(this.pendingRev, EVENT_SWEEP_BATCH);
    this.remove(keys);
    if (keys.length < EVENT_SWEEP_BATCH) this.pendingRev = undefined;
  }

  private remove(keys: { namespace: string; name: string }[]): void {
    if (!keys.length) return;
    this.store.transact(() => {
      for (const k of keys)
        if (this.store.get('Event', k.namespace, k.name)) this.store.delete('Event', k.namespace, k.name);
    });
  }
}
