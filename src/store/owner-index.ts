// The store's index of live objects by their controller owner's uid: the Job controller reads a
// Job's pods on every sync, from memory. Objects are held parsed and shared (readers must not
// change them). A settled pod (finished, no finalizer left: counted, nothing more to do for it)
// is held as its summary, the part of a pod a controller reads about a finished one: a Job of
// 100,000 finished pods would otherwise keep 100,000 full pods (3.3 KB each) in memory for its
// whole life; their summaries take about 0.6 KB each.
import { podFinishTime, type ApiObject, type ContainerStatus, type Pod } from '../api/index.js';

const summaries = new WeakSet<object>();

/** Whether the index holds `o` as a summary; the full object is the store's `get`. */
export const isSummary = (o: ApiObject): boolean => summaries.has(o);

/** Its containers' terminations: name, restart count, exit code, reason and finish. */
const summarizeStatuses = (list: ContainerStatus[] | undefined): ContainerStatus[] | undefined =>
  list?.map((s) => {
    const t = s.state.terminated;
    return {
      name: s.name,
      state: t ? { terminated: { exitCode: t.exitCode, reason: t.reason, finishedAt: t.finishedAt } } : {},
      lastState: {},
      ready: false,
      restartCount: s.restartCount,
      image: '',
      imageID: '',
    };
  });

/** The annotations Kubernetes and jobctl keep their bookkeeping in (the completion index, failure counts). */
const BOOKKEEPING = /^(batch\.kubernetes\.io|jobctl\.io)\//;

/** A settled pod's phase: it finished and was counted (no finalizer left); else undefined. */
function settledPhase(obj: ApiObject): 'Succeeded' | 'Failed' | undefined {
  if (obj.kind !== 'Pod' || obj.metadata.finalizers?.length) return undefined;
  const phase = (obj as Pod).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' ? phase : undefined;
}

/**
 * A settled pod as a controller reads a finished one: its name, namespace, uid, creation and
 * deletion; its `batch.kubernetes.io/` and `jobctl.io/` annotations (no labels: the completion
 * index is in both); its phase, its conditions when it failed (what a pod failure policy matches
 * on), its containers' terminations; a spec without containers. About a sixth of the full pod.
 */
export function summarize(obj: ApiObject): ApiObject {
  if (!settledPhase(obj)) return obj;
  const p = obj as Pod;
  const s = p.status!;
  const m = p.metadata;
  const annotations = Object.fromEntries(Object.entries(m.annotations ?? {}).filter(([k]) => BOOKKEEPING.test(k)));
  const summary: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      creationTimestamp: m.creationTimestamp,
      deletionTimestamp: m.deletionTimestamp,
      deletionGracePeriodSeconds: m.deletionGracePeriodSeconds,
      annotations,
    },
    spec: { containers: [] },
    status: {
      phase: s.phase,
      conditions: s.phase === 'Failed' ? s.conditions : undefined,
      containerStatuses: summarizeStatuses(s.containerStatuses),
      initContainerStatuses: summarizeStatuses(s.initContainerStatuses),
    },
  };
  summaries.add(summary);
  return summary;
}

interface Owned {
  /** What a controller reads: live objects, settled failed pods' summaries, the newest success's. */
  watched: Map<string, ApiObject>;
  /** The other settled succeeded pods: only their keys (to count and delete them). */
  quiet: Set<string>;
  /** The settled succeeded pod that stands for all of them, and when it finished. */
  newest?: { key: string; finishedMs: number };
}

/**
 * The controllers' cache of what each owner owns. A Job controller reads, of a Job's finished and
 * counted pods, only the failed ones (their back-off, their failure counts) and the time of the
 * newest success (the back-off counts failures after it); so of the settled succeeded pods only
 * the newest is held, and the others only by key. A Job of 100,000 pods costs its syncs and
 * this index what its running and failed pods cost.
 */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Owned>();
  private readonly ownerOfKey = new Map<string, string>();

  /** Records the object under `key` as it now is (`present` false: deleted). */
  set(key: string, obj: ApiObject, present: boolean): void {
    const previous = this.ownerOfKey.get(key);
    if (previous !== undefined) this.remove(previous, key);
    const owner = present ? obj.metadata.ownerReferences?.find((o) => o.controller)?.uid : undefined;
    if (!owner) return;
    let o = this.byOwner.get(owner);
    if (!o) this.byOwner.set(owner, (o = { watched: new Map(), quiet: new Set() }));
    this.ownerOfKey.set(key, owner);
    if (settledPhase(obj) === 'Succeeded') {
      // Held only if it is the newest success; the others are not summarised at all.
      const finishedMs = podFinishTime(obj as Pod);
      if (o.newest && o.newest.finishedMs >= finishedMs) {
        o.quiet.add(key);
        return;
      }
      if (o.newest) {
        o.watched.delete(o.newest.key);
        o.quiet.add(o.newest.key);
      }
      o.newest = { key, finishedMs };
    }
    o.watched.set(key, summarize(obj));
  }

  private remove(owner: string, key: string): void {
    const o = this.byOwner.get(owner);
    this.ownerOfKey.delete(key);
    if (!o) return;
    o.watched.delete(key);
    o.quiet.delete(key);
    // Gone: the back-off then measures from the newest success still held, if any (a deleted
    // success of a running Job is rare: a user's `delete pod`).
    if (o.newest?.key === key) o.newest = undefined;
    if (o.watched.size === 0 && o.quiet.size === 0) this.byOwner.delete(owner);
  }

  /** The object under `key` as held: whole, a summary, or undefined (not held, or only by key). */
  get(key: string): ApiObject | undefined {
    const owner = this.ownerOfKey.get(key);
    return owner === undefined ? undefined : this.byOwner.get(owner)?.watched.get(key);
  }

  /** What a controller reads of what `owner` owns (see above). */
  list(owner: string): ApiObject[] {
    return [...(this.byOwner.get(owner)?.watched.values() ?? [])];
  }

  /** The keys (`kind/namespace/name`) of everything `owner` owns. */
  keys(owner: string): string[] {
    const o = this.byOwner.get(owner);
    return o ? [...o.watched.keys(), ...o.quiet] : [];
  }
}
