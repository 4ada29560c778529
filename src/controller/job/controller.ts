// The Job controller: handlers enqueue job keys; one sync per key reads the job and its pods,
// asks decide() for a plan, and carries it out. Backoff and deadlines requeue, never sleep.
import { type Job, type Pod } from '../../api/index.js';
import type { Registry } from '../../apiserver/index.js';
import type { Change } from '../../store/index.js';
import { WorkQueue } from '../queue.js';
import { decide, isFinished, type DecideConfig } from './decide.js';
import {
  hasTrackingFinalizer,
  isDeleting,
  isTerminalPhase,
  JOB_TRACKING_FINALIZER,
  REMOVED_UNCOUNTED,
  restartCount,
} from './pods.js';
import { newPodForJob } from './pod-template.js';

export interface JobControllerOptions extends DecideConfig {
  log?: (msg: string) => void;
}

/** Kubernetes' deleteJobPods: the tracking finalizer goes first, so the pod is never counted. */
const UNCOUNTED_DELETION = { dropFinalizer: JOB_TRACKING_FINALIZER, annotate: { [REMOVED_UNCOUNTED]: 'true' } };

/** The value of `spec.managedBy` that names this controller (Kubernetes' JobControllerName). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/** A Job another controller manages: no pods, no status, no events from this one. */
export const isManagedElsewhere = (job: Job): boolean =>
  job.spec.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_NAME;

const keyOf = (ns: string | undefined, name: string | undefined) => `${ns ?? 'default'}/${name ?? ''}`;

/** Kubernetes' SyncJobBatchPeriod, the longest a batched change waits. */
export const SYNC_BATCH_MAX_MS = 1000;
/** Batch period per pod of the Job (0.1 ms: 1,000 pods wait at most 100 ms). */
export const SYNC_BATCH_MS_PER_POD = 0.1;

/**
 * Whether a pod's change can call for action (a replacement, a count, a failure check) rather
 * than only move the Job's `active` and `ready` figures: a pod that finished and is not yet
 * counted, one being deleted or gone, one whose containers restarted (backoffLimit counts
 * restarts under OnFailure).
 */
function calls(c: Change, pod: Pod): boolean {
  return (
    c.type === 'DELETED' ||
    isDeleting(pod) ||
    (isTerminalPhase(pod) && hasTrackingFinalizer(pod)) ||
    restartCount(pod) > 0
  );
}

interface Synced {
  uid?: string;
  generation?: number;
  batchMs: number;
}

export class JobController {
  readonly queue: WorkQueue;
  /** Per job key: what the last sync saw, to tell the controller's own writes from a user's. */
  private readonly synced = new Map<string, Synced>();

  constructor(
    private readonly registry: Registry,
    private readonly opts: JobControllerOptions,
  ) {
    this.queue = new WorkQueue(
      (key) => this.sync(key),
      (key, e) => {
        opts.log?.(`sync ${key}: ${(e as Error).stack ?? e}`);
        this.queue.addAfter(key, 1000);
      },
    );
  }

  /**
   * Event handler: only enqueues. A new Job, a changed spec or a deletion syncs at once; pod
   * changes and status-only writes (mostly this controller's own) are batched, as Kubernetes does
   * with its SyncJobBatchPeriod, for a period that grows with the Job's pods: a sync reads all of
   * them, so a 1,000-pod Job syncs a few times a second rather than on each of its pods' changes.
   * A pod change that only moves the Job's `active` and `ready` figures (a pod created, started,
   * or counted) waits the full period Kubernetes waits for every pod change.
   */
  onChange(c: Change): void {
    const meta = c.object.metadata;
    if (c.object.kind === 'Job') {
      const key = keyOf(meta.namespace, meta.name);
      const seen = this.synced.get(key);
      if (
        c.type === 'MODIFIED' &&
        seen &&
        seen.uid === meta.uid &&
        seen.generation === meta.generation &&
        !meta.deletionTimestamp
      ) {
        this.queue.addBatched(key, seen.batchMs);
      } else this.queue.add(key);
    } else if (c.object.kind === 'Pod') {
      const owner = (c.object as Pod).metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Job');
      if (!owner) return;
      const key = keyOf(meta.namespace, owner.name);
      this.queue.addBatched(key, calls(c, c.object as Pod) ? (this.synced.get(key)?.batchMs ?? 0) : SYNC_BATCH_MAX_MS);
    }
  }

  resyncAll(): void {
    for (const j of this.registry.listJobs()) this.queue.add(keyOf(j.metadata.namespace, j.metadata.name));
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const job = this.registry.getJob(ns, name);
    if (!job || job.metadata.deletionTimestamp || isFinished(job) || isManagedElsewhere(job)) {
      this.synced.delete(key);
      this.queue.forget(key);
      return;
    }
    const pods = this.registry.podsOf(job);
    this.synced.set(key, {
      uid: job.metadata.uid,
      generation: job.metadata.generation,
      batchMs: Math.min(SYNC_BATCH_MAX_MS, pods.length * SYNC_BATCH_MS_PER_POD),
    });
    const now = this.registry.now();
    const plan = decide(job, pods, now, this.opts);

    // The sync's writes are one commit (a sync that fails leaves nothing half done; each commit
    // costs SQLite a WAL append, and a pod's creation and its event were two).
    this.registry.transact(() => {
      // Deletions first (deletion and creation never happen in the same sync).
      const uncounted = new Set(plan.uncounted);
      for (const podName of plan.delete) {
        const deleted = this.registry.deletePod(ns, podName, uncounted.has(podName) ? UNCOUNTED_DELETION : {});
        if (deleted)
          this.registry.recordEvent(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`, 'job-controller');
      }
      for (const want of plan.create) {
        const pod = this.registry.createPod(newPodForJob(job, want));
        this.registry.recordEvent(
          job,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'job-controller',
        );
      }
      // Status and the finalizers of the pods it counts, together: counted exactly once.
      const current = plan.status || plan.counted.length ? this.registry.getJob(ns, name) : undefined;
      if (current && current.metadata.uid === job.metadata.uid) {
        if (plan.status) {
          current.status = plan.status;
          this.registry.writeJobStatus(current);
        }
        if (plan.counted.length) {
          const counted = new Set(plan.counted);
          for (const p of pods)
            if (counted.has(p.metadata.name!)) this.registry.removeFinalizer(p, JOB_TRACKING_FINALIZER);
        }
      }
      for (const e of plan.events) this.registry.recordEvent(job, e.type, e.reason, e.message, 'job-controller');
    });
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }
}
