// Events expire a TTL after their last write (the API server's --event-ttl), on a fake clock.

import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Event } from '../../src/api/index.js';
import { EventExpiry, Registry } from '../../src/apiserver/index.js';
import { Store } from '../../src/store/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function setup(path = join(tempDir('jobctl-events-'), 'state.db'), startMs = Date.parse('2026-01-01T00:00:00Z')) {
  let now = startMs;
  const clock = { now: () => new Date(now) };
  const store = new Store(path);
  const registry = new Registry(store, clock);
  const expiry = new EventExpiry(store, clock, HOUR);
  const obj: ConfigMap =
    store.get<ConfigMap>('ConfigMap', 'default', 'owner') ??
    store.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owner', namespace: 'default', uid: 'u1' },
    });
  const reasons = () =>
    store
      .list<Event>('Event')
      .map((e) => e.reason)
      .sort();
  /** Moves the clock minute by minute, sweeping as the timer would. */
  const advance = (ms: number) => {
    for (let left = ms; left > 0; left -= expiry.sweepEveryMs) {
      now += Math.min(expiry.sweepEveryMs, left);
      expiry.sweep();
    }
  };
  return { store, registry, expiry, obj, reasons, advance, path, now: () => now };
}

describe('event expiry', () => {
  it('removes an event an hour after its last write; a repeat renews it', () => {
    const t = setup();
    t.expiry.start();
    t.expiry.stop();
    t.registry.recordEvent(t.obj, 'Normal', 'First', 'a', 'job-controller');
    t.advance(30 * MIN);
    t.registry.recordEvent(t.obj, 'Normal', 'Second', 'b', 'job-controller');
    t.advance(10 * MIN);
    t.registry.recordEvent(t.obj, 'Normal', 'First', 'a', 'job-controller'); // count 2, written at 40 min
    t.advance(21 * MIN + 1000); // 61 min: nothing is an hour old since its last write
    expect(t.reasons()).toEqual(['First', 'Second']);
    t.advance(30 * MIN); // 91 min: Second (30) is past, First (40) not yet
    expect(t.reasons()).toEqual(['First']);
    t.advance(10 * MIN); // 101 min
    expect(t.reasons()).toEqual([]);
    // The object they were about is untouched.
    expect(t.store.get('ConfigMap', 'default', 'owner')).toBeDefined();
  });

  it('a new server removes what expired while none ran and keeps the rest on schedule', () => {
    const a = setup();
    a.registry.recordEvent(a.obj, 'Normal', 'Old', 'x', 'job-controller');
    a.advance(50 * MIN);
    a.registry.recordEvent(a.obj, 'Normal', 'Young', 'y', 'job-controller');
    a.store.close();
    const b = setup(a.path, a.now() + 20 * MIN); // 70 min: Old (0) expired while stopped
    b.expiry.start();
    b.expiry.stop();
    expect(b.reasons()).toEqual(['Young']);
    b.advance(35 * MIN); // 105 min: Young (50) has 5 minutes left
    expect(b.reasons()).toEqual(['Young']);
    b.advance(6 * MIN); // 111 min
    expect(b.reasons()).toEqual([]);
  });
});
