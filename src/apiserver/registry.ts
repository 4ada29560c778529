// The API server's rules above the raw store: generated names, graceful pod deletion with
// finalizers, events with aggregation, label selection. Shared by the HTTP API, the controllers
// and the kubelet's host.
import {
  generateName,
  newUid,
  selectorMatches,
  toRfc3339,
  type ApiObject,
  type Condition,
  type Event,
  type Job,
  type LabelSelector,
  type ObjectReference,
  type Node,
  type Pod,
} from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import { EventCorrelator } from './event-correlator.js';
import { NamespaceLifecycle } from './namespaces.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** How a pod is deleted: its grace, why (a DisruptionTarget condition), a finalizer taken off first. */
export interface PodDeletion {
  graceSeconds?: number;
  disruption?: { reason: string; message: string };
  /** Removed in the same write, with `annotate` added: the pod is not held for that finalizer's owner. */
  dropFinalizer?: string;
  annotate?: Record<string, string>;
}

export type EventSource = 'job-controller' | 'kubelet' | 'default-scheduler' | 'ttl-after-finished-controller';

export class Registry {
  /** What Kubernetes' event recorder does before writing an event: aggregate, count, filter spam. */
  private readonly correlator = new EventCorrelator();
  private lastEventNanos = 0n;
  /** Which namespaces exist, and their deletion. */
  readonly namespaces: NamespaceLifecycle;

  constructor(
    readonly store: ObjectStore,
    readonly clock: Clock = systemClock,
  ) {
    this.namespaces = new NamespaceLifecycle(store, clock);
  }

  now(): Date {
    return this.clock.now();
  }

  /** Runs `fn`'s writes as one commit; watchers see them after it. */
  transact<T>(fn: () => T): T {
    return this.store.transact(fn);
  }

  /** Every object of a kind (in one namespace, if given). */
  list<T extends ApiObject>(kind: string, namespace?: string): T[] {
    return this.store.list<T>(kind, namespace);
  }

  listJobs(namespace?: string): Job[] {
    return this.store.list<Job>('Job', namespace);
  }

  /** The Job controller's status write (the status subresource's, without its validation). */
  writeJobStatus(job: Job): Job {
    return this.store.update(job);
  }

  getJob(ns: string, name: string): Job | undefined {
    return this.store.get<Job>('Job', ns, name);
  }

  /**
   * What the Job controller reads of the job's pods (controller reference with its uid), from the
   * store's owner index: read-only; a settled pod (finished, counted) is its summary (read it
   * with `get` to write it), and of the settled succeeded pods only the newest is there.
   */
  podsOf(job: Job): readonly Pod[] {
    return this.store
      .listOwnedBy<Pod>(job.metadata.uid)
      .filter((p) => p.kind === 'Pod' && p.metadata.namespace === job.metadata.namespace);
  }

  /** The names of all the job's pods. */
  podNamesOf(job: Job): string[] {
    const prefix = `Pod/${job.metadata.namespace}/`;
    return this.store
      .ownedKeys(job.metadata.uid)
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length));
  }

  getNode(name: string): Node | undefined {
    return this.store.get<Node>('Node', '', name);
  }

  /**
   * The binding subresource: the pod (still this uid, unbound, not being deleted) goes to the
   * node, PodScheduled=True, with the scheduler's event. Undefined when it no longer waits.
   */
  bindPod(pod: Pod, nodeName: string): Pod | undefined {
    return this.store.transact(() => {
      const cur = this.waitingPod(pod);
      if (!cur) return undefined;
      const now = toRfc3339(this.now());
      cur.spec = { ...cur.spec, nodeName };
      setScheduled(cur, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
      const bound = this.store.update(cur);
      const where = `${cur.metadata.namespace}/${cur.metadata.name}`;
      this.recordEvent(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${where} to ${nodeName}`,
        'default-scheduler',
      );
      return bound;
    });
  }

  /** The scheduler's status write for a pod that waits: PodScheduled=False, Unschedulable, why. */
  markUnschedulable(pod: Pod, message: string): Pod | undefined {
    return this.store.transact(() => {
      const cur = this.waitingPod(pod);
      if (!cur) return undefined;
      const old = cur.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (old?.status === 'False' && old.message === message) return cur;
      setScheduled(cur, {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : toRfc3339(this.now()),
        reason: 'Unschedulable',
        message,
      });
      return this.store.update(cur);
    });
  }

  private waitingPod(pod: Pod): Pod | undefined {
    const cur = this.store.get<Pod>('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!cur || cur.metadata.uid !== pod.metadata.uid || cur.spec.nodeName || cur.metadata.deletionTimestamp) return;
    return cur;
  }

  listPods(ns: string | undefined, selector?: LabelSelector): Pod[] {
    const pods = this.store.list<Pod>('Pod', ns);
    return selector ? pods.filter((p) => selectorMatches(selector, p.metadata.labels)) : pods;
  }

  createPod(pod: Pod): Pod {
    const meta = pod.metadata;
    // What Kubernetes' admission adds to every pod: its service account (ServiceAccount) and
    // its priority (Priority, with no priority class). kubectl's describe prints them.
    const spec = pod.spec;
    spec.serviceAccountName ??= 'default';
    spec.serviceAccount ??= spec.serviceAccountName;
    if (spec.priority === undefined && !spec.priorityClassName) spec.priority = 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    for (let attempt = 0; ; attempt++) {
      if (meta.generateName && !meta.name) meta.name = generateName(meta.generateName);
      meta.uid = newUid();
      meta.creationTimestamp = toRfc3339(this.now());
      try {
        return this.store.create(pod);
      } catch (e) {
        // A generated name that already exists: try another suffix, as the API server's retry does.
        if (
          meta.generateName &&
          attempt < 5 &&
          (e as { status?: { reason?: string } }).status?.reason === 'AlreadyExists'
        ) {
          delete meta.name;
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Graceful delete: sets deletionTimestamp; the kubelet stops the containers and calls
   * `podTerminated`. Pods that never started, or already finished, need no grace.
   */
  deletePod(ns: string, name: string, opts: PodDeletion = {}): Pod | undefined {
    const { graceSeconds, disruption } = opts;
    return this.store.transact(() => {
      const pod = this.store.get<Pod>('Pod', ns, name);
      if (!pod) return undefined;
      if (pod.metadata.deletionTimestamp) {
        if (opts.dropFinalizer) this.removeFinalizer(pod, opts.dropFinalizer);
        return pod;
      }
      if (opts.dropFinalizer && pod.metadata.finalizers?.includes(opts.dropFinalizer)) {
        const rest = pod.metadata.finalizers.filter((f) => f !== opts.dropFinalizer);
        if (rest.length) pod.metadata.finalizers = rest;
        else delete pod.metadata.finalizers;
      }
      if (opts.annotate) pod.metadata.annotations = { ...pod.metadata.annotations, ...opts.annotate };
      if (disruption && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
        // Not the pod's fault: say so, as Kubernetes does, so a podFailurePolicy can tell.
        const now = toRfc3339(this.now());
        const conds = ((pod.status ??= {}).conditions ??= []).filter((c) => c.type !== 'DisruptionTarget');
        conds.push({
          type: 'DisruptionTarget',
          status: 'True',
          reason: disruption.reason,
          message: disruption.message,
          lastProbeTime: null,
          lastTransitionTime: now,
        });
        pod.status.conditions = conds;
      }
      const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
      const grace =
        terminal || !pod.status?.startTime ? 0 : (graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
      pod.metadata.deletionTimestamp = toRfc3339(this.now());
      pod.metadata.deletionGracePeriodSeconds = grace;
      if (!pod.spec.nodeName) {
        // Never scheduled: no kubelet runs it, so it is done at once, Failed as the pod garbage
        // collector marks an unscheduled pod being deleted (its finalizers still hold it).
        if (!terminal) (pod.status ??= {}).phase = 'Failed';
        if (!pod.metadata.finalizers?.length) {
          this.removeObject(pod);
          return pod;
        }
        (pod.metadata.annotations ??= {})['jobctl.io/terminated'] = 'true';
      }
      return this.store.update(pod);
    });
  }

  /** The kubelet is done with a deleting pod: remove it unless finalizers still hold it. */
  podTerminated(ns: string, name: string, uid: string): void {
    this.store.transact(() => {
      const pod = this.store.get<Pod>('Pod', ns, name);
      if (!pod || pod.metadata.uid !== uid || !pod.metadata.deletionTimestamp) return;
      if ((pod.metadata.finalizers ?? []).length === 0) {
        this.removeObject(pod);
        return;
      }
      pod.metadata.deletionGracePeriodSeconds = 0;
      (pod.metadata.annotations ??= {})['jobctl.io/terminated'] = 'true';
      this.store.update(pod);
    });
  }

  /** Removes a finalizer; a deleting pod the kubelet has finished with then goes away. */
  removeFinalizer(pod: Pod, finalizer: string): void {
    this.store.transact(() => {
      const current = this.store.get<Pod>('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      if (!current || current.metadata.uid !== pod.metadata.uid) return;
      const rest = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (rest.length === (current.metadata.finalizers ?? []).length) return;
      current.metadata.finalizers = rest.length ? rest : undefined;
      if (!current.metadata.finalizers) delete current.metadata.finalizers;
      if (
        current.metadata.deletionTimestamp &&
        current.metadata.annotations?.['jobctl.io/terminated'] === 'true' &&
        rest.length === 0
      ) {
        this.removeObject(current);
        return;
      }
      this.store.update(current);
    });
  }

  /**
   * Deletes a Job as kubectl's propagation policies do: Background removes it now and leaves the
   * pods to the garbage collector; Foreground keeps it (Terminating) until its pods are gone;
   * Orphan removes it and leaves the pods running.
   */
  deleteJob(ns: string, name: string, propagation: 'Background' | 'Foreground' | 'Orphan'): Job | undefined {
    return this.store.transact(() => {
      const job = this.getJob(ns, name);
      if (!job) return undefined;
      if (propagation === 'Foreground') {
        if (job.metadata.deletionTimestamp) return job;
        job.metadata.deletionTimestamp = toRfc3339(this.now());
        job.metadata.deletionGracePeriodSeconds = 0;
        job.metadata.finalizers = [...(job.metadata.finalizers ?? []), 'foregroundDeletion'];
        return this.store.update(job);
      }
      if (propagation === 'Orphan') {
        for (const podName of this.podNamesOf(job)) {
          const p = this.store.get<Pod>('Pod', ns, podName);
          if (!p) continue;
          p.metadata.ownerReferences = p.metadata.ownerReferences?.filter((o) => o.uid !== job.metadata.uid);
          p.metadata.finalizers = p.metadata.finalizers?.filter((f) => f !== 'batch.kubernetes.io/job-tracking');
          this.store.update(p);
        }
      }
      this.removeObject(job);
      return job;
    });
  }

  /**
   * Deletes an object. A Job takes its events and its pods' events with it (they outlive the
   * pods themselves, as on a cluster, so `get events` still explains a deleted pod).
   */
  removeObject(obj: ApiObject): void {
    this.store.transact(() => {
      const m = obj.metadata;
      if (this.store.get(obj.kind, m.namespace ?? '', m.name ?? ''))
        this.store.delete(obj.kind, m.namespace ?? '', m.name ?? '');
      // Only a Job's removal reads the events (a pod's would read them all for each pod of a big Job).
      if (obj.kind !== 'Job') return;
      for (const e of this.store.list<Event>('Event', m.namespace)) {
        const io = e.involvedObject;
        const ofPod = io.kind === 'Pod' && (io.name ?? '').startsWith(`${m.name}-`);
        if (io.uid === m.uid || ofPod) this.store.delete('Event', e.metadata.namespace ?? '', e.metadata.name ?? '');
      }
    });
  }

  /** As Kubernetes' event recorder names them: the object's name, then the time in nanoseconds in hex. */
  private eventName(objectName: string): string {
    const nanos = BigInt(this.now().getTime()) * 1_000_000n;
    this.lastEventNanos = nanos > this.lastEventNanos ? nanos : this.lastEventNanos + 1n;
    return `${objectName}.${this.lastEventNanos.toString(16)}`;
  }

  recordEvent(
    obj: ApiObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const m = obj.metadata;
    const involved: ObjectReference = {
      kind: obj.kind,
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: m.resourceVersion,
    };
    if (fieldPath) involved.fieldPath = fieldPath;
    const nowDate = this.now();
    const now = toRfc3339(nowDate);
    const c = this.correlator.correlate({ source, involved, type, reason, message }, nowDate.getTime(), now);
    if (c.skip) return;
    const ns = m.namespace ?? 'default';
    try {
      this.store.transact(() => {
        const existing = c.name ? this.store.get<Event>('Event', ns, c.name) : undefined;
        if (existing) {
          existing.count = c.count;
          existing.message = c.message;
          existing.lastTimestamp = now;
          this.store.update(existing);
          return;
        }
        // New, or gone since (expired, or its object deleted): written again with its count.
        const name = this.eventName(m.name ?? '');
        const firstTimestamp = c.firstTimestamp ?? now;
        this.store.create<Event>({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: ns, uid: newUid(), creationTimestamp: now },
          involvedObject: involved,
          reason,
          message: c.message,
          source: { component: source },
          firstTimestamp,
          lastTimestamp: now,
          count: c.count,
          type,
          eventTime: null,
          reportingComponent: source,
          reportingInstance: '',
        });
        this.correlator.recorded(c.key, name, c.count, firstTimestamp);
      });
    } catch {
      /* events are best effort, as in Kubernetes */
    }
  }
}

/** The pod's PodScheduled condition, first as the scheduler writes it; a new pod is Pending. */
function setScheduled(pod: Pod, cond: Condition): void {
  const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  pod.status = { ...pod.status, phase: pod.status?.phase ?? 'Pending', conditions: [cond, ...conditions] };
}
