// ttlSecondsAfterFinished: a finished Job is deleted (foreground: pods first) once its TTL after
// the Complete or Failed condition has passed.
import type { Job } from '../api/index.js';
import type { Registry } from '../apiserver/index.js';
import type { Change } from '../store/index.js';
import { WorkQueue } from './queue.js';

export function computeExpiryMs(job: Job): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const done = job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  if (!done?.lastTransitionTime) return undefined;
  return Date.parse(done.lastTransitionTime) + ttl * 1000;
}

export class TtlController {
  readonly queue: WorkQueue;

  constructor(
    private readonly registry: Registry,
    log?: (m: string) => void,
  ) {
    this.queue = new WorkQueue(
      async (key) => this.sync(key),
      (key, e) => log?.(`ttl ${key}: ${String(e)}`),
    );
  }

  onChange(c: Change): void {
    // Only a finished Job with a TTL has anything to expire (a running Job's status writes are many).
    if (c.object.kind === 'Job' && c.type !== 'DELETED' && computeExpiryMs(c.object as Job) !== undefined) {
      this.queue.add(`${c.object.metadata.namespace}/${c.object.metadata.name}`);
    }
  }

  resyncAll(): void {
    for (const j of this.registry.listJobs()) this.queue.add(`${j.metadata.namespace}/${j.metadata.name}`);
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const job = this.registry.getJob(ns, name);
    if (!job) return;
    const expiry = computeExpiryMs(job);
    if (expiry === undefined) return;
    const remaining = expiry - this.registry.now().getTime();
    if (remaining > 0) {
      this.queue.addAfter(key, remaining);
      return;
    }
    this.registry.deleteJob(ns, name, 'Foreground');
  }
}
