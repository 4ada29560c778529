// The scheduler: binds each new pod to the node when it fits there (api/scheduling.ts: taints,
// node selector and affinity, requests against what is left, the pod count), as kube-scheduler
// binds on a one-node cluster; a pod that does not fit waits Pending with PodScheduled=False
// (Unschedulable) and a FailedScheduling event in kube-scheduler's words, and is bound as soon as
// room frees up (a pod finishes or goes, the node changes), higher priority first, then oldest.
// The kubelet runs only bound pods.
import { misfitIn, remaining, take, unschedulableMessage, type Pod } from '../api/index.js';
import type { Registry } from '../apiserver/index.js';
import type { Change } from '../store/index.js';
import { isTerminalPhase } from './job/pods.js';

/** A pod still waiting is told so again (a FailedScheduling event) at most this often, unless the reason changes. */
const REPEAT_EVENT_MS = 60_000;

/** Higher priority first, then the oldest, as kube-scheduler's queue orders them. */
const queueOrder = (a: Pod, b: Pod) =>
  (b.spec.priority ?? 0) - (a.spec.priority ?? 0) ||
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

export class Scheduler {
  /** Pods bound to the node and not finished: what they take of it, by uid. */
  private readonly bound = new Map<string, Pod>();
  /** Pods waiting for the node, by uid. */
  private readonly pending = new Map<string, Pod>();
  /** When each waiting pod was last told why, and what. */
  private readonly told = new Map<string, { atMs: number; message: string }>();
  private passQueued = false;

  constructor(
    private readonly registry: Registry,
    private readonly nodeName: string,
    private readonly log?: (m: string) => void,
  ) {}

  onChange(c: Change): void {
    if (c.object.kind === 'Node') {
      if (this.pending.size) this.wake();
      return;
    }
    if (c.object.kind !== 'Pod') return;
    const pod = c.object as Pod;
    const uid = pod.metadata.uid ?? '';
    if (c.type === 'DELETED' || isTerminalPhase(pod)) {
      this.pending.delete(uid);
      this.told.delete(uid);
      if (this.bound.delete(uid) && this.pending.size) this.wake();
      return;
    }
    if (pod.spec.nodeName) {
      this.pending.delete(uid);
      this.told.delete(uid);
      this.bound.set(uid, pod);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      this.pending.delete(uid);
      return;
    }
    const fresh = !this.pending.has(uid);
    this.pending.set(uid, pod);
    if (fresh) this.wake();
  }

  /** Start-up: every pod as it is, then one pass. */
  resyncAll(): void {
    for (const pod of this.registry.listPods(undefined)) this.onChange({ type: 'ADDED', object: pod } as Change);
    if (this.pending.size) this.wake();
  }

  /** One pass for all the changes of this turn (a Job creating fifty pods costs one). */
  private wake(): void {
    if (this.passQueued) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      try {
        this.pass();
      } catch (e) {
        this.log?.(`scheduler: ${String(e)}`);
      }
    });
  }

  private pass(): void {
    const node = this.registry.getNode(this.nodeName);
    if (!node || this.pending.size === 0) return;
    // The room left, counted once a pass and taken from as pods are bound.
    const room = remaining(node, [...this.bound.values()]);
    this.registry.transact(() => {
      for (const pod of [...this.pending.values()].sort(queueOrder)) {
        const uid = pod.metadata.uid ?? '';
        const why = misfitIn(pod, node, room);
        if (!why) {
          const bound = this.registry.bindPod(pod, this.nodeName);
          this.pending.delete(uid);
          if (bound) take(room, bound);
          continue;
        }
        const message = unschedulableMessage(why);
        const waiting = this.registry.markUnschedulable(pod, message);
        if (!waiting) {
          this.pending.delete(uid);
          continue;
        }
        this.pending.set(uid, waiting);
        this.tell(waiting, message);
      }
    });
  }

  /** A FailedScheduling event: when the reason is new, else at most once a REPEAT_EVENT_MS. */
  private tell(pod: Pod, message: string): void {
    const uid = pod.metadata.uid ?? '';
    const nowMs = this.registry.now().getTime();
    const last = this.told.get(uid);
    if (last && last.message === message && nowMs - last.atMs < REPEAT_EVENT_MS) return;
    this.told.set(uid, { atMs: nowMs, message });
    this.registry.recordEvent(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
  }
}
