// The revision-log store (see README.md). better-sqlite3 stays in this folder.
import Database from 'better-sqlite3';
import {
  alreadyExistsError,
  conflictError,
  notFoundError,
  resourceByKind,
  StatusError,
  makeStatus,
  type ApiObject,
} from '../api/index.js';
import { isSummary, OwnerIndex } from './owner-index.js';
import * as sql from './sql.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rev: number;
  type: WatchEventType;
  object: ApiObject;
  /** `object` as stored: watchers send it without serialising it again. */
  json: string;
}

export const LOG_KEEP_REVISIONS = 20000;
export const COMPACT_EVERY_WRITES = 1000;

const keyOf = (o: ApiObject): [string, string, string] => [o.kind, o.metadata.namespace ?? '', o.metadata.name ?? ''];

function resourceOf(kind: string): { resource: string; group: string } {
  const r = resourceByKind(kind);
  return r ? { resource: r.plural, group: r.group } : { resource: kind.toLowerCase() + 's', group: '' };
}

export class Store {
  private readonly db: Database.Database;
  private readonly stmts;
  private listeners = new Set<(c: Change) => void>();
  private pending: Change[] = [];
  private revision?: number;
  private outbox: Change[] = [];
  private dispatching = false;
  private readonly owners = new OwnerIndex();
  /** Transactions under way (nested ones run inside the outermost). */
  private depth = 0;
  private flushWanted = false;
  private writesSinceCompact = 0;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(sql.SCHEMA);
    for (const row of this.db.prepare(sql.ALL_OWNED).all() as { object: string }[])
      this.index(JSON.parse(row.object) as ApiObject, true);
    const p = (sql: string) => this.db.prepare(sql);
    this.stmts = {
      insertLog: p(sql.INSERT_LOG),
      upsert: p(sql.UPSERT_OBJECT),
      del: p(sql.DELETE_OBJECT),
      get: p(sql.GET_OBJECT),
      getRev: p(sql.GET_REV),
      listNs: p(sql.LIST_NS),
      listAll: p(sql.LIST_ALL),
      logAfter: p(sql.LOG_AFTER),
      minRev: p(sql.MIN_REV),
      maxRev: p(sql.MAX_REV),
      compact: p(sql.COMPACT),
      metaGet: p(sql.META_GET),
      metaSet: p(sql.META_SET),
      containerAdd: p(sql.CONTAINER_ADD),
      containerRemove: p(sql.CONTAINER_REMOVE),
      containerList: p(sql.CONTAINER_LIST),
      containerListOfPod: p(sql.CONTAINER_LIST_OF_POD),
      eventKeysUpToRev: p(sql.EVENT_KEYS_UP_TO_REV),
      eventsAboutNs: p(sql.EVENTS_ABOUT_NS),
      eventsAboutAll: p(sql.EVENTS_ABOUT_ALL),
      begin: p('BEGIN'),
      commit: p('COMMIT'),
      savepoint: p('SAVEPOINT tx'),
      release: p('RELEASE tx'),
      rollbackTo: p('ROLLBACK TO tx'),
    };
  }

  private index(obj: ApiObject, present: boolean): void {
    this.owners.set(keyOf(obj).join('/'), obj, present);
  }

  /**
   * What a controller reads of the live objects it owns (owner-index.ts): shared, not copies
   * (callers must not change them); a settled pod is its summary (`get` reads it whole), and of
   * the settled succeeded pods only the newest is there (`ownedKeys` names them all).
   */
  listOwnedBy<T extends ApiObject>(ownerUid: string | undefined): readonly T[] {
    return ownerUid ? (this.owners.list(ownerUid) as T[]) : [];
  }

  /** The keys (`kind/namespace/name`) of everything a controller owns, held or not. */
  ownedKeys(ownerUid: string | undefined): string[] {
    return ownerUid ? this.owners.keys(ownerUid) : [];
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  /** Every namespace that holds an object. */
  namespacesInUse(): string[] {
    return this.db.prepare(sql.NAMESPACES_IN_USE).pluck().all() as string[];
  }

  /** The newest revision written. Kept in memory: this process is the database's only writer. */
  currentRevision(): number {
    return (this.revision ??= (this.stmts.maxRev.get() as { rev: number }).rev);
  }

  get<T extends ApiObject>(kind: string, namespace: string, name: string): T | undefined {
    const row = this.stmts.get.get(kind, namespace, name) as { object: string } | undefined;
    return row ? (JSON.parse(row.object) as T) : undefined;
  }

  /**
   * The object as last written, shared when the owner index holds it (callers must not change
   * it; copy what they write back), else read from the database.
   */
  peek<T extends ApiObject>(kind: string, namespace: string, name: string): T | undefined {
    const key = `${kind}/${namespace}/${name}`;
    const live = this.owners.get(key);
    // Written in the transaction under way: the index has it only once that commits.
    if (!live || isSummary(live) || this.pending.some((c) => keyOf(c.object).join('/') === key))
      return this.get<T>(kind, namespace, name);
    return live as T;
  }

  mustGet<T extends ApiObject>(kind: string, namespace: string, name: string): T {
    const o = this.get<T>(kind, namespace, name);
    if (!o) {
      const r = resourceOf(kind);
      throw notFoundError(r.resource, r.group, name);
    }
    return o;
  }

  list<T extends ApiObject>(kind: string, namespace?: string): T[] {
    return this.listJson(kind, namespace).map((json) => JSON.parse(json) as T);
  }

  /** The stored JSON of each object of a kind, as written: lists are sent without re-serialising. */
  listJson(kind: string, namespace?: string): string[] {
    const rows = (namespace ? this.stmts.listNs.all(kind, namespace) : this.stmts.listAll.all(kind)) as {
      object: string;
    }[];
    return rows.map((r) => r.object);
  }

  /**
   * The stored JSON of the events about one object (`describe` asks for them by its uid): read
   * through an index, not by scanning every event (a Job of 100,000 pods leaves 400,000).
   */
  eventsAboutJson(uid: string, namespace?: string): string[] {
    const rows = (namespace ? this.stmts.eventsAboutNs.all(uid, namespace) : this.stmts.eventsAboutAll.all(uid)) as {
      object: string;
    }[];
    return rows.map((r) => r.object);
  }

  /**
   * The oldest events, last written at or before `rev` (at most `limit`), for their expiry. A
   * partial index keeps this cheap without a cost to every other kind's writes.
   */
  eventKeysUpTo(rev: number, limit: number): { namespace: string; name: string }[] {
    return this.stmts.eventKeysUpToRev.all(rev, limit) as { namespace: string; name: string }[];
  }

  /**
   * Runs `fn` atomically; watchers see its changes once it is done. It is a savepoint in the
   * write batch of this turn of the event loop, committed to disk at the turn's end, or sooner by
   * `flush`, which whatever lets a write's effect leave the process calls first (see README.md).
   */
  transact<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    if (!this.db.inTransaction) {
      this.stmts.begin.run();
      setImmediate(() => this.flush());
    }
    const revisionBefore = this.revision;
    let result: T;
    this.stmts.savepoint.run();
    this.depth++;
    try {
      result = fn();
      this.stmts.release.run();
    } catch (e) {
      // (An I/O error may have ended the whole batch already: then there is nothing to undo.)
      if (this.db.inTransaction) {
        this.stmts.rollbackTo.run();
        this.stmts.release.run();
      }
      this.pending = [];
      this.revision = revisionBefore; // rolled back with the savepoint
      throw e;
    } finally {
      this.depth--;
    }
    const done = this.pending;
    this.pending = [];
    for (const c of done) this.index(c.object, c.type !== 'DELETED');
    this.outbox.push(...done);
    this.dispatch();
    this.maybeCompact(done.length);
    if (this.flushWanted) this.flush();
    return result;
  }

  /**
   * Commits the write batch: every change done so far is on disk when this returns. Called
   * before an answer, a watch event or an engine call leaves the process, so nothing outside it
   * ever saw a change a crash could take back. Within a transaction, it commits at its end.
   */
  flush(): void {
    if (this.depth > 0) {
      this.flushWanted = true;
      return;
    }
    this.flushWanted = false;
    if (this.db.inTransaction) this.stmts.commit.run();
  }

  /** Delivers committed changes in revision order, also when a listener writes in turn. */
  private dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      let c: Change | undefined;
      while ((c = this.outbox.shift())) for (const l of [...this.listeners]) l(c);
    } finally {
      this.dispatching = false;
    }
  }

  private write(type: WatchEventType, obj: ApiObject): ApiObject {
    const [kind, ns, name] = keyOf(obj);
    // One writer, inside a transaction: the next revision is the sequence's next value.
    const rev = this.currentRevision() + 1;
    // Serialised with the new revision in place, then restored: the caller's object is not kept,
    // and the stored copy is parsed back from the JSON (cheaper than cloning, then serialising).
    const given = obj.metadata.resourceVersion;
    obj.metadata.resourceVersion = String(rev);
    let json: string;
    try {
      json = JSON.stringify(obj);
    } finally {
      if (given === undefined) delete obj.metadata.resourceVersion;
      else obj.metadata.resourceVersion = given;
    }
    this.stmts.insertLog.run(rev, kind, ns, name, type, json);
    if (type === 'DELETED') this.stmts.del.run(kind, ns, name);
    else this.stmts.upsert.run(kind, ns, name, rev, json);
    this.revision = rev;
    const stored = JSON.parse(json) as ApiObject;
    this.pending.push({ rev, type, object: stored, json });
    return stored;
  }

  create<T extends ApiObject>(obj: T): T {
    return this.transact(() => {
      const [kind, ns, name] = keyOf(obj);
      if (this.stmts.getRev.get(kind, ns, name)) {
        const r = resourceOf(kind);
        throw alreadyExistsError(r.resource, r.group, name);
      }
      return this.write('ADDED', obj) as T;
    });
  }

  /** Compare-and-swap on `metadata.resourceVersion` when the object carries one. */
  update<T extends ApiObject>(obj: T): T {
    return this.transact(() => {
      const [kind, ns, name] = keyOf(obj);
      const row = this.stmts.getRev.get(kind, ns, name) as { rev: number } | undefined;
      const r = resourceOf(kind);
      if (!row) throw notFoundError(r.resource, r.group, name);
      const expected = obj.metadata.resourceVersion;
      if (expected !== undefined && expected !== String(row.rev)) {
        throw conflictError(
          r.resource,
          r.group,
          name,
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      return this.write('MODIFIED', obj) as T;
    });
  }

  /** Reads, changes and writes one object atomically; `fn` returning undefined means no change. */
  mutate<T extends ApiObject>(kind: string, namespace: string, name: string, fn: (o: T) => T | undefined): T {
    return this.transact(() => {
      const current = this.mustGet<T>(kind, namespace, name);
      const next = fn(structuredClone(current));
      return next ? this.update(next) : current;
    });
  }

  delete(kind: string, namespace: string, name: string): ApiObject {
    return this.transact(() => this.write('DELETED', this.mustGet(kind, namespace, name)));
  }

  /**
   * Changes of one kind after `rev`, then live ones, to `onChange` until the returned function is
   * called. Throws 410 Expired when `rev` is older than the compacted window.
   */
  watch(kind: string, rev: number, onChange: (c: Change) => void): () => void {
    const min = (this.stmts.minRev.get() as { rev: number | null }).rev;
    if (rev > 0 && min !== null && rev < min - 1) {
      throw new StatusError(makeStatus(410, 'Expired', `too old resource version: ${rev} (${min - 1})`));
    }
    const rows = this.stmts.logAfter.all(rev, kind) as { rev: number; type: WatchEventType; object: string }[];
    for (const r of rows) onChange({ rev: r.rev, type: r.type, object: JSON.parse(r.object), json: r.object });
    const listener = (c: Change) => {
      if (c.object.kind === kind) onChange(c);
    };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every committed change of every kind (for in-process controllers). */
  subscribe(onChange: (c: Change) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  getMeta(key: string): string | undefined {
    return (this.stmts.metaGet.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmts.metaSet.run(key, value);
  }

  /** The Docker containers this instance created: only these are ever adopted or removed. */
  addContainer(id: string, podUid: string): void {
    this.stmts.containerAdd.run(id, podUid);
  }

  removeContainer(id: string): void {
    this.stmts.containerRemove.run(id);
  }

  /** All of them, or one pod's (each pod's deletion asks: not a scan of all). */
  knownContainers(podUid?: string): Set<string> {
    const rows = podUid === undefined ? this.stmts.containerList.all() : this.stmts.containerListOfPod.all(podUid);
    return new Set((rows as { id: string }[]).map((r) => r.id));
  }

  private maybeCompact(writes: number): void {
    this.writesSinceCompact += writes;
    if (this.writesSinceCompact < COMPACT_EVERY_WRITES) return;
    this.writesSinceCompact = 0;
    this.compact(LOG_KEEP_REVISIONS);
  }

  compact(keep: number): void {
    const max = this.currentRevision();
    if (max > keep) this.stmts.compact.run(max - keep);
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }
}

/**
 * The store as the API server and the server's log follower see it: the revision log's reads,
 * writes, transactions and watches, not its SQLite handle or its container records.
 */
export type ObjectStore = Pick<
  Store,
  | 'get'
  | 'mustGet'
  | 'list'
  | 'listJson'
  | 'listOwnedBy'
  | 'ownedKeys'
  | 'create'
  | 'update'
  | 'delete'
  | 'transact'
  | 'watch'
  | 'subscribe'
  | 'currentRevision'
  | 'eventKeysUpTo'
  | 'eventsAboutJson'
  | 'flush'
  | 'namespacesInUse'
>;
