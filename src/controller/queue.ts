// A work queue of keys: adds are deduplicated, one sync per key runs at a time, and a key added
// while it syncs runs again afterwards. Delayed adds use timers (nothing polls).
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly lastStart = new Map<string, number>();
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly onError: (key: string, e: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    // setImmediate, not a microtask: the event loop serves requests between syncs.
    setImmediate(() => void this.run(key));
  }

  /**
   * Adds `key` now if its last sync started at least `periodMs` ago, else when that period ends:
   * a burst of changes costs one sync per period, while a lone change is handled at once.
   */
  addBatched(key: string, periodMs: number): void {
    const last = this.lastStart.get(key);
    const wait = last === undefined ? 0 : last + periodMs - Date.now();
    if (wait <= 0) this.add(key);
    else this.addAfter(key, wait);
  }

  /** Drops what the queue remembers of a key that is gone. */
  forget(key: string): void {
    this.lastStart.delete(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        this.add(key);
      },
      Math.max(0, delayMs),
    );
    this.timers.set(key, { at, timer });
  }

  private async run(key: string): Promise<void> {
    this.queued.delete(key);
    if (this.stopped) return;
    this.running.add(key);
    this.lastStart.set(key, Date.now());
    try {
      await this.sync(key);
    } catch (e) {
      this.onError(key, e);
    } finally {
      this.running.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  isIdle(): boolean {
    return this.queued.size === 0 && this.running.size === 0;
  }

  hasPendingTimers(): boolean {
    return this.timers.size > 0;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
  }
}
