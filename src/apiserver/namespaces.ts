// Namespaces' lifecycle, as Kubernetes' NamespaceLifecycle admission and namespace deletion do it:
// objects are created only in a namespace that exists and is not being deleted; the system
// namespaces are always there and three of them may not be deleted; deleting a namespace marks it
// Terminating, and the namespace controller (controller/namespace.ts) removes what it holds, then it.
import {
  admitCreate,
  forbiddenError,
  notFoundError,
  RESOURCE_TABLE,
  toRfc3339,
  type Namespace,
  type Resource,
} from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import type { Clock } from './registry.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const UNDELETABLE = new Set(['default', 'kube-public', 'kube-system']);

/** The kinds a namespace holds. */
export const NAMESPACED_KINDS = RESOURCE_TABLE.filter((r) => r.namespaced).map((r) => r.kind);

export class NamespaceLifecycle {
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {}

  get(name: string): Namespace | undefined {
    return this.store.get<Namespace>('Namespace', '', name);
  }

  /**
   * Creates the system namespaces, and one for every namespace that already holds objects (a
   * store written before namespaces were objects loses nothing).
   */
  ensure(): void {
    this.store.transact(() => {
      for (const name of new Set([...SYSTEM_NAMESPACES, ...this.store.namespacesInUse()])) {
        if (this.get(name)) continue;
        const given: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
        this.store.create(admitCreate(given, this.clock.now()).object);
      }
    });
  }

  /** Refuses a new object in a namespace that does not exist or is being deleted. */
  admitCreate(r: Resource, namespace: string, name: string): void {
    if (!r.namespaced) return;
    const ns = this.get(namespace);
    if (!ns) throw notFoundError('namespaces', '', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbiddenError(
        r.plural,
        r.group,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      );
    }
  }

  /** Refuses the deletion of `default`, `kube-system` and `kube-public`. */
  checkDeletable(name: string): void {
    if (UNDELETABLE.has(name)) throw forbiddenError('namespaces', '', name, 'this namespace may not be deleted');
  }

  /** Marks a namespace Terminating (once); the namespace controller does the rest. */
  delete(name: string): Namespace | undefined {
    this.checkDeletable(name);
    return this.store.transact(() => {
      const ns = this.get(name);
      if (!ns || ns.metadata.deletionTimestamp) return ns;
      ns.metadata.deletionTimestamp = toRfc3339(this.clock.now());
      ns.metadata.deletionGracePeriodSeconds = 0;
      ns.status = { ...ns.status, phase: 'Terminating' };
      return this.store.update(ns);
    });
  }

  /** The namespace is empty: its finalizer is done and it goes. */
  finish(name: string): void {
    this.store.transact(() => {
      if (this.get(name)?.metadata.deletionTimestamp) this.store.delete('Namespace', '', name);
    });
  }
}
