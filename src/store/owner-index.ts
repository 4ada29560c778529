// The store's index of live objects by their controller owner's uid: the Job controller reads a
// Job's pods on every sync, from memory. Objects are held parsed and shared (readers must not
// change them). A settled pod (finished, no finalizer left: counted, nothing more to do for it)
// is held as its summary, the part of a pod a controller reads about a finished one: a Job of
// 100,000 finished pods would otherwise keep 100,000 full pods in memory for its whole life.
import type { ApiObject, ContainerStatus, Pod } from '../api/index.js';

const summaries = new WeakSet<object>();

/** Whether the index holds `o` as a summary; the full object is the store's `get`. */
export const isSummary = (o: ApiObject): boolean => summaries.has(o);

const summarizeStatuses = (list: ContainerStatus[] | undefined): ContainerStatus[] | undefined =>
  list?.map((s) => ({
    name: s.name,
    state: s.state.terminated ? { terminated: s.state.terminated } : {},
    lastState: {},
    ready: false,
    restartCount: s.restartCount,
    image: s.image,
    imageID: '',
  }));

/**
 * A settled pod's metadata whole; its phase, reason, start, its containers' terminations and
 * restart counts, and, when it failed, its conditions (what a pod failure policy matches on); its
 * spec only as its node and restart policy, with no containers.
 */
export function summarize(obj: ApiObject): ApiObject {
  if (obj.kind !== 'Pod') return obj;
  const p = obj as Pod;
  const s = p.status;
  if ((s?.phase !== 'Succeeded' && s?.phase !== 'Failed') || p.metadata.finalizers?.length) return obj;
  const summary: Pod = {
    apiVersion: p.apiVersion,
    kind: 'Pod',
    metadata: p.metadata,
    spec: { containers: [], restartPolicy: p.spec.restartPolicy, nodeName: p.spec.nodeName },
    status: {
      phase: s.phase,
      reason: s.reason,
      startTime: s.startTime,
      conditions: s.phase === 'Failed' ? s.conditions : undefined,
      containerStatuses: summarizeStatuses(s.containerStatuses),
      initContainerStatuses: summarizeStatuses(s.initContainerStatuses),
    },
  };
  summaries.add(summary);
  return summary;
}

export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, ApiObject>>();
  private readonly ownerOfKey = new Map<string, string>();

  /** Records the object under `key` as it now is (`present` false: deleted). */
  set(key: string, obj: ApiObject, present: boolean): void {
    const previous = this.ownerOfKey.get(key);
    const owner = present ? obj.metadata.ownerReferences?.find((o) => o.controller)?.uid : undefined;
    if (previous !== undefined && previous !== owner) {
      const m = this.byOwner.get(previous);
      m?.delete(key);
      if (m?.size === 0) this.byOwner.delete(previous);
      this.ownerOfKey.delete(key);
    }
    if (!owner) return;
    let m = this.byOwner.get(owner);
    if (!m) this.byOwner.set(owner, (m = new Map()));
    m.set(key, summarize(obj));
    this.ownerOfKey.set(key, owner);
  }

  get(key: string): ApiObject | undefined {
    const owner = this.ownerOfKey.get(key);
    return owner === undefined ? undefined : this.byOwner.get(owner)?.get(key);
  }

  list(owner: string): ApiObject[] {
    return [...(this.byOwner.get(owner)?.values() ?? [])];
  }
}
