import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../../src/controller/queue.js';

describe('WorkQueue.addBatched', () => {
  let runs: number[];
  let q: WorkQueue;
  beforeEach(() => {
    vi.useFakeTimers();
    runs = [];
    q = new WorkQueue(
      async () => void runs.push(Date.now()),
      () => undefined,
    );
  });
  afterEach(() => {
    q.stop();
    vi.useRealTimers();
  });

  it('syncs a lone change at once', async () => {
    const t0 = Date.now();
    q.addBatched('ns/job', 100);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([t0]);
  });

  it('turns a burst of changes into one sync per period', async () => {
    const t0 = Date.now();
    q.addBatched('ns/job', 100);
    await vi.advanceTimersByTimeAsync(1);
    for (let i = 0; i < 20; i++) {
      q.addBatched('ns/job', 100);
      await vi.advanceTimersByTimeAsync(4); // 20 changes over 80 ms
    }
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toBe(t0);
    expect(runs[1] - t0).toBeGreaterThanOrEqual(100);
    expect(runs[1] - t0).toBeLessThanOrEqual(102);
  });

  it('a plain add is never held back by the batch period', async () => {
    const t0 = Date.now();
    q.addBatched('ns/job', 100);
    await vi.advanceTimersByTimeAsync(10);
    q.add('ns/job');
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([t0, t0 + 10]);
  });
});
