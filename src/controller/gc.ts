// The garbage collector: pods whose Job is gone are stopped and removed (their tracking finalizer
// stripped first); a Job deleted in the foreground goes once its pods are gone.
import type { Job, Pod } from '../api/index.js';
import type { Registry } from '../apiserver/index.js';
import type { Change } from '../store/index.js';
import { JOB_TRACKING_FINALIZER } from './job/pods.js';

const ORPHAN_DISRUPTION = { reason: 'DeletionByPodGC', message: "PodGC: the pod's Job was deleted" };

export class GarbageCollector {
  constructor(private readonly registry: Registry) {}

  onChange(c: Change): void {
    if (c.object.kind === 'Job') {
      const job = c.object as Job;
      if (c.type === 'DELETED') this.collectOrphans();
      else if (job.metadata.deletionTimestamp) this.foreground(job);
    } else if (c.object.kind === 'Pod' && c.type === 'DELETED') {
      const owner = (c.object as Pod).metadata.ownerReferences?.find((o) => o.controller);
      const job = owner && this.registry.getJob(c.object.metadata.namespace ?? '', owner.name);
      if (job && job.metadata.uid === owner.uid && job.metadata.deletionTimestamp) this.foreground(job);
    }
  }

  /** A full pass, at start-up. */
  collectAll(): void {
    this.collectOrphans();
    for (const j of this.registry.listJobs()) if (j.metadata.deletionTimestamp) this.foreground(j);
  }

  private collectOrphans(): void {
    const jobs = new Set(this.registry.listJobs().map((j) => j.metadata.uid));
    for (const pod of this.registry.listPods(undefined)) {
      const owner = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Job');
      if (!owner || jobs.has(owner.uid)) continue;
      this.registry.deletePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', {
        disruption: ORPHAN_DISRUPTION,
        dropFinalizer: JOB_TRACKING_FINALIZER,
      });
    }
  }

  private foreground(job: Job): void {
    const ns = job.metadata.namespace ?? '';
    const held = new Map(this.registry.podsOf(job).map((p) => [p.metadata.name, p]));
    for (const name of this.registry.podNamesOf(job)) {
      // Done already (deleted, our finalizer off): each of the pods' deletions calls this again,
      // and would read every remaining pod back from the store (quadratic in a big Job). A pod
      // not held (a settled success) has no finalizer and goes at once.
      const pod = held.get(name);
      if (pod?.metadata.deletionTimestamp && !pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) continue;
      this.registry.deletePod(ns, name, { disruption: ORPHAN_DISRUPTION, dropFinalizer: JOB_TRACKING_FINALIZER });
    }
    if (this.registry.podNamesOf(job).length === 0) this.registry.removeObject(job);
  }
}
