// The namespace controller: a namespace marked Terminating loses what it holds (Jobs in the
// background, their pods through the garbage collector, any other pod gracefully, ConfigMaps,
// Secrets, events), and goes once nothing is left, as Kubernetes' namespace deletion does.
import { JOB_TRACKING_FINALIZER } from './job/pods.js';
import { WorkQueue } from './queue.js';
import { NAMESPACED_KINDS, type Registry } from '../apiserver/index.js';
import type { Change } from '../store/index.js';

/** How soon a namespace still holding stopping pods is looked at again (their removal also wakes it). */
const RECHECK_MS = 1000;

export class NamespaceController {
  readonly queue: WorkQueue;
  private readonly terminating = new Set<string>();

  constructor(
    private readonly registry: Registry,
    log?: (m: string) => void,
  ) {
    this.queue = new WorkQueue(
      async (name) => this.sync(name),
      (name, e) => log?.(`namespace ${name}: ${String(e)}`),
    );
  }

  onChange(c: Change): void {
    const { kind, metadata } = c.object;
    if (kind === 'Namespace') {
      const name = metadata.name ?? '';
      if (c.type !== 'DELETED' && metadata.deletionTimestamp) {
        this.terminating.add(name);
        this.queue.add(name);
      } else this.terminating.delete(name);
    } else if (c.type === 'DELETED' && this.terminating.has(metadata.namespace ?? '')) {
      // Each pass reads all the namespace holds: a burst of removals costs one pass a period.
      this.queue.addBatched(metadata.namespace ?? '', RECHECK_MS);
    }
  }

  resyncAll(): void {
    for (const ns of this.registry.list('Namespace')) {
      if (ns.metadata.deletionTimestamp) this.onChange({ rev: 0, type: 'MODIFIED', object: ns, json: '' });
    }
  }

  private async sync(name: string): Promise<void> {
    if (!this.registry.namespaces.get(name)?.metadata.deletionTimestamp) return;
    if (this.removeContent(name) === 0) this.registry.namespaces.finish(name);
    else this.queue.addAfter(name, RECHECK_MS);
  }

  /** One pass over what the namespace holds; returns how many objects are still going. */
  private removeContent(ns: string): number {
    const { registry } = this;
    for (const job of registry.listJobs(ns)) registry.deleteJob(ns, job.metadata.name ?? '', 'Background');
    const pods = registry.listPods(ns);
    for (const pod of pods) {
      registry.deletePod(ns, pod.metadata.name ?? '', { dropFinalizer: JOB_TRACKING_FINALIZER });
    }
    for (const kind of NAMESPACED_KINDS) {
      if (kind === 'Job' || kind === 'Pod') continue;
      for (const o of registry.list(kind, ns)) registry.removeObject(o);
    }
    return pods.length;
  }
}
