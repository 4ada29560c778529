// Container exits, from one runtime stream for all of jobctl's containers instead of a
// long-lived `wait` request per container: a request and a connection fewer per pod. When the
// stream drops (the engine restarted, the connection broke), it is opened again and every
// container still awaited is inspected, so an exit that happened meanwhile is not missed.
import { isRuntimeError, type ContainerRuntime } from './cri.js';
import { LABEL_INSTANCE } from './labels.js';

/** The container's exit code, or `undefined` when it is gone from the engine. */
export type ExitHandler = (exitCode: number | undefined) => void;

export interface ExitWatcherOptions {
  instanceId: string;
  /** Delay before opening a dropped stream again (doubles up to 30 times this while it fails). */
  retryMs: number;
  log?: (msg: string) => void;
}

export class ExitWatcher {
  private readonly awaited = new Map<string, ExitHandler>();
  private opening?: Promise<void>;
  private close?: () => void;
  private retryTimer?: NodeJS.Timeout;
  private retryDelay: number;
  private stopped = false;
  /** The stream dropped while containers were awaited: inspect them once it is open again. */
  private gap = false;

  constructor(
    private readonly runtime: Pick<ContainerRuntime, 'watchExits' | 'inspectContainer'>,
    private readonly opts: ExitWatcherOptions,
  ) {
    this.retryDelay = opts.retryMs;
  }

  /**
   * Calls `onExit` once, when the container stops. Call it before the container starts (or, for
   * one that may already run, then inspect it): the stream is open when this resolves, so no exit
   * after that is missed. Rejects when the engine cannot be reached.
   */
  async watch(id: string, onExit: ExitHandler): Promise<void> {
    if (this.stopped) throw new Error('the exit watcher is stopped');
    this.awaited.set(id, onExit);
    try {
      await this.resume();
    } catch (e) {
      this.awaited.delete(id);
      throw e;
    }
  }

  /** Stops waiting for the container (it was stopped and handled, or never started). */
  forget(id: string): void {
    this.awaited.delete(id);
  }

  /** Ends the stream (server shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.close?.();
    this.close = undefined;
  }

  /** Opens the stream if it is not open; after a gap, reports what stopped meanwhile. */
  private async resume(): Promise<void> {
    await this.open();
    if (!this.gap) return;
    this.gap = false;
    this.reconcile();
  }

  private open(): Promise<void> {
    if (this.close) return Promise.resolve();
    this.opening ??= this.runtime
      .watchExits(
        `${LABEL_INSTANCE}=${this.opts.instanceId}`,
        (id, code) => this.onExit(id, code),
        (err) => this.dropped(err),
      )
      .then(
        (close) => {
          this.close = close;
          this.opening = undefined;
          this.retryDelay = this.opts.retryMs;
        },
        (e: unknown) => {
          this.opening = undefined;
          throw e;
        },
      );
    return this.opening;
  }

  private onExit(id: string, code: number | undefined): void {
    const handler = this.awaited.get(id);
    if (!handler) return;
    this.awaited.delete(id);
    handler(code);
  }

  private dropped(err?: Error): void {
    this.close = undefined;
    if (this.stopped) return;
    if (this.awaited.size === 0) return; // opened again by the next watch()
    this.opts.log?.(`engine event stream ended${err ? `: ${err.message}` : ''}; reopening`);
    this.gap = true;
    this.reopen();
  }

  /** Resumes after a delay, longer after each failure (a watch() in between may resume sooner). */
  private reopen(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      this.resume().catch(() => {
        this.retryDelay = Math.min(this.retryDelay * 2, this.opts.retryMs * 30);
        this.reopen();
      });
    }, this.retryDelay);
  }

  /** After a gap in the stream: any container that stopped meanwhile is reported now. */
  private reconcile(): void {
    for (const [id, handler] of [...this.awaited]) {
      this.runtime.inspectContainer(id).then(
        (info) => {
          const stopped = info.status === 'exited' || info.status === 'dead';
          if (!stopped || this.awaited.get(id) !== handler) return;
          this.awaited.delete(id);
          handler(info.exitCode);
        },
        (e: unknown) => {
          if (this.awaited.get(id) !== handler) return;
          if (!isRuntimeError(e, 404)) {
            this.gap = true; // the engine is away again: try later
            this.reopen();
            return;
          }
          this.awaited.delete(id);
          handler(undefined);
        },
      );
    }
  }
}
