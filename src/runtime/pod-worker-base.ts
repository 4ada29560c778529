// A pod worker's state and plumbing: its serial work chain, timers, status writes and events,
// and its images per pull policy.
// The container runs (container-runs.ts) and the pod's lifecycle (pod-worker.ts) build on it;
// the decisions themselves are pure (pod-status.ts).
import { goDuration, toRfc3339, type Container, type ContainerStatus, type Pod, type PodStatus } from '../api/index.js';
import { isRuntimeError } from './cri.js';
import type { Kubelet } from './kubelet.js';
import {
  computeReadiness,
  containerStatuses,
  CRASH_LOOP_CAP_FACTOR,
  decideImage,
  IMAGE_PULL_CAP_FACTOR,
  isStaleBackoff,
  nextBackoff,
  setPodCondition,
  type Backoff,
} from './pod-status.js';
import type { VolumeMountSource } from './pod-resources.js';

export type Stage = 'new' | 'init' | 'apps' | 'done';

export interface Current {
  id: string;
  name: string;
  restart: number;
  init: boolean;
}

export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export abstract class PodWorkerBase {
  protected pod: Pod;
  protected status: PodStatus;
  protected stage: Stage = 'new';
  protected initIndex = 0;
  protected readonly running = new Map<string, Current>();
  /** Output capture of each followed container, by id, until it has drained. */
  protected readonly captures = new Map<string, Promise<void>>();
  protected engineVolumesReady = false;
  protected emptyDirWatch = false;
  protected readonly timers = new Set<NodeJS.Timeout>();
  /** A container launch the runtime's absence broke off (container-runs.ts). */
  protected interrupted?: { c: Container; init: boolean };
  protected readonly backoffs = new Map<string, Backoff>();
  protected readonly pullBackoffs = new Map<string, Backoff>();
  /** Of the retries after a runtime failure other than its absence. */
  protected readonly syncBackoff = new Map<string, Backoff>();
  protected chain: Promise<void> = Promise.resolve();
  protected terminating = false;
  protected detached = false;
  protected volumes?: Map<string, VolumeMountSource>;
  protected sandboxId?: string;
  protected readonly held: ['Normal' | 'Warning', string, string, string | undefined][] = [];

  constructor(
    protected readonly k: Kubelet,
    pod: Pod,
  ) {
    this.pod = pod;
    this.status = structuredClone(pod.status ?? {});
  }

  get busy(): boolean {
    return this.stage !== 'done' && !this.detached;
  }

  protected get spec() {
    return this.pod.spec;
  }

  protected enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.detached) return;
      try {
        await fn();
      } catch (e) {
        this.failed(e);
      }
      this.flushHeld();
    });
  }

  detach(): void {
    this.detached = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  protected after(ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        this.enqueue(fn);
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
  }

  protected now(): Date {
    return this.k.now();
  }

  protected write(): void {
    if (this.detached) return;
    this.flushHeld();
    if (!this.k.host.setPodStatus(this.pod, this.status)) this.detach();
  }

  /**
   * Records an event. A held one waits for the pod's next write or event (at the latest the end
   * of the current step) and goes in the same commit: `Pulled` with `Created` and `Started`.
   */
  protected event(
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    c?: Container,
    init = false,
    hold = false,
  ): void {
    const fieldPath = c ? `spec.${init ? 'initContainers' : 'containers'}{${c.name}}` : undefined;
    if (hold) {
      this.held.push([type, reason, message, fieldPath]);
      return;
    }
    this.flushHeld();
    this.k.host.recordEvent(this.pod, type, reason, message, 'kubelet', fieldPath);
  }

  protected flushHeld(): void {
    if (this.detached) this.held.length = 0;
    for (const [type, reason, message, fieldPath] of this.held.splice(0))
      this.k.host.recordEvent(this.pod, type, reason, message, 'kubelet', fieldPath);
  }

  /** `docker://ID`: the runtime's name and the container's id, as the kubelet writes it. */
  protected containerId(id: string): string {
    return `${this.k.runtime.name}://${id}`;
  }

  protected podRef(): string {
    const m = this.pod.metadata;
    return `${m.name}_${m.namespace}(${m.uid})`;
  }

  protected waiting(c: Container, init: boolean, reason: string, message?: string): void {
    const s = this.cs(c.name, init);
    s.state = { waiting: message ? { reason, message } : { reason } };
    s.ready = false;
    this.refreshReadiness();
  }

  protected finish(phase: 'Succeeded' | 'Failed', reason?: string, message?: string): void {
    this.stage = 'done';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.status.phase = phase;
    if (reason) this.status.reason = reason;
    if (message) this.status.message = message;
    this.refreshReadiness();
    this.write();
  }

  /**
   * A step failed. The runtime away: said on the pod (FailedSync, naming where it was sought) and
   * tried again without end. Another runtime failure: said with the runtime's own message and
   * tried again after a growing back-off. Anything else is a bug: logged with its stack, and the
   * pod left as it is rather than retried in a loop.
   */
  protected failed(e: unknown): void {
    if (this.detached) return;
    if (!isRuntimeError(e)) {
      this.k.config.log?.(`kubelet: bug while handling pod ${this.podRef()}: ${(e as Error)?.stack ?? String(e)}`);
      return;
    }
    const where = `the ${this.k.runtime.name} runtime at ${this.k.runtime.endpoint}`;
    this.event(
      'Warning',
      'FailedSync',
      e.unreachable ? `error talking to ${where}: ${e.message}` : `${where}: ${e.message}`,
    );
    const delay = e.unreachable
      ? this.k.config.backoffBaseMs
      : this.nextBackoff(this.syncBackoff, 'sync', CRASH_LOOP_CAP_FACTOR);
    const retry = this.interrupted;
    this.interrupted = undefined;
    this.after(delay, async () => {
      if (this.terminating) return this.terminate();
      if (this.stage === 'done') return;
      if (retry) await this.launch(retry.c, retry.init);
      else await this.advance();
    });
  }

  /** Makes sure the image is there per imagePullPolicy; false when the pod must wait (back-off armed). */
  protected async ensureImage(c: Container, init: boolean): Promise<boolean> {
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    const localId = await this.k.localImageId(image, policy === 'Always');
    const present = localId !== undefined;
    if (localId) this.cs(c.name, init).imageID = localId;
    const decision = decideImage(policy, present);
    if (decision === 'never-pull-missing') {
      this.waiting(c, init, 'ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
      this.event(
        'Warning',
        'ErrImageNeverPull',
        `Container image "${image}" is not present with pull policy of Never`,
        c,
        init,
      );
      this.write();
      return false;
    }
    if (decision === 'use') {
      if (policy !== 'Never') {
        this.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, c, init, true);
      }
      return true;
    }
    this.event('Normal', 'Pulling', `Pulling image "${image}"`, c, init);
    const started = Date.now();
    try {
      await this.k.runtime.pullImage(image);
      this.cs(c.name, init).imageID = (await this.k.localImageId(image, true)) ?? '';
      const took = goDuration(Date.now() - started);
      this.event(
        'Normal',
        'Pulled',
        `Successfully pulled image "${image}" in ${took} (${took} including waiting)`,
        c,
        init,
      );
      this.pullBackoffs.delete(c.name);
      return true;
    } catch (e) {
      const why = (e as Error).message;
      if (present) {
        this.event(
          'Warning',
          'Failed',
          `Failed to pull image "${image}": ${why}; using the image already present on this machine`,
          c,
          init,
        );
        return true;
      }
      this.event('Warning', 'Failed', `Failed to pull image "${image}": ${why}`, c, init);
      this.event('Warning', 'Failed', 'Error: ErrImagePull', c, init);
      this.waiting(c, init, 'ErrImagePull', `failed to pull image "${image}": ${why}`);
      this.write();
      const delay = this.nextBackoff(this.pullBackoffs, c.name, IMAGE_PULL_CAP_FACTOR);
      // Show ErrImagePull briefly, then ImagePullBackOff until the next attempt.
      this.after(Math.min(1000, delay / 2), async () => {
        if (this.cs(c.name, init).state.waiting?.reason !== 'ErrImagePull') return;
        this.waiting(c, init, 'ImagePullBackOff', `Back-off pulling image "${image}"`);
        this.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, c, init);
        this.event('Warning', 'Failed', 'Error: ImagePullBackOff', c, init);
        this.write();
      });
      this.after(delay, () => this.launch(c, init));
      return false;
    }
  }

  /** The status of one of the pod's containers. */
  protected cs(name: string, init: boolean): ContainerStatus {
    return containerStatuses(this.spec, this.status, init).find((s) => s.name === name)!;
  }

  protected statusesFor(init: boolean): ContainerStatus[] {
    return containerStatuses(this.spec, this.status, init);
  }

  protected setCondition(type: string, value: 'True' | 'False', reason?: string, message?: string): void {
    setPodCondition(this.status, type, value, toRfc3339(this.now()), reason, message);
  }

  protected refreshReadiness(): void {
    computeReadiness(this.spec, this.status, toRfc3339(this.now()));
  }

  /** The next delay of one of this pod's back-offs (crash loop, image pull), recorded. */
  protected isStale(b: Backoff, capFactor: number): boolean {
    return isStaleBackoff(b, this.now().getTime(), this.k.config.backoffBaseMs, capFactor);
  }

  protected nextBackoff(map: Map<string, Backoff>, key: string, capFactor: number): number {
    const b = nextBackoff(map.get(key), this.now().getTime(), this.k.config.backoffBaseMs, capFactor);
    map.set(key, b);
    return b.delayMs;
  }

  protected abstract start(): Promise<void>;
  protected abstract terminate(): Promise<void>;
  protected abstract advance(): Promise<void>;
  protected abstract launch(c: Container, init: boolean): Promise<void>;
}
