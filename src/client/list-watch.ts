// One way to watch, as client-go's informers do: list, then watch from the list's
// resourceVersion (bookmarks moving it on); a dropped stream is reopened from the last revision
// seen, and a 410 Gone (the revision was compacted away) lists again, reporting what changed
// meanwhile as events. Every verb that waits (`get -w`, `wait`, `delete`, `logs`) uses it.
import { StatusError, type ApiObject } from '../api/index.js';
import type { ApiClient, ListResult, WatchEvent } from './api-client.js';

export type ObjectEvent<T extends ApiObject> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T };

export interface ListWatchHandlers<T extends ApiObject> {
  /** The first list, before any event; return true to stop there. */
  onList?(items: T[], resourceVersion: string): boolean | void | Promise<boolean | void>;
  /** Each change after it (a re-list's differences included); return true to stop. */
  onEvent(ev: ObjectEvent<T>): boolean | void | Promise<boolean | void>;
}

export interface ListWatchOptions {
  /** `labelSelector`, `fieldSelector`. */
  query?: URLSearchParams;
  /** Ends the watch (a timeout, an interrupt); the call then resolves. */
  signal?: AbortSignal;
  /** A new client after a dropped stream (the server may have restarted on another port). */
  reconnect?: () => Promise<ApiClient>;
  /** Wait before reopening a dropped stream. */
  retryMs?: number;
  /**
   * As client-go's reflector (kubectl's `wait` and `delete`) asks: the first list from the watch
   * cache (`resourceVersion=0`), each watch ended by the server after a random 5 to 10 minutes.
   */
  informer?: boolean;
  /** Lists in pages of 500, as kubectl's `get` lists (the reflector's lists always are). */
  paged?: boolean;
  /**
   * Watch from this revision without listing first (kubectl's `get -w NAME` watches from "0":
   * the server first sends the object as it is now, ADDED).
   */
  from?: string;
}

/** client-go's shortest watch: each lasts between this and twice this. */
const WATCH_TIMEOUT_S = 300;

const keyOf = (o: ApiObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Lists `path` and follows its changes until a handler returns true or the signal aborts.
 * Resolves true when a handler stopped it, false when aborted.
 */
export async function listAndWatch<T extends ApiObject>(
  client: ApiClient,
  path: string,
  handlers: ListWatchHandlers<T>,
  opts: ListWatchOptions = {},
): Promise<boolean> {
  const known = new Map<string, T>();
  const list = async (q = opts.query) =>
    opts.paged || opts.informer
      ? client.listAll<T>(path, q)
      : client.get<ListResult<T>>(q?.size ? `${path}?${q}` : path);
  const watchPath = (rv: string) => {
    const q = new URLSearchParams(opts.query);
    q.set('watch', 'true');
    q.set('resourceVersion', rv);
    q.set('allowWatchBookmarks', 'true');
    if (opts.informer) q.set('timeoutSeconds', String(Math.floor(WATCH_TIMEOUT_S * (1 + Math.random()))));
    return `${path}?${q}`;
  };
  let rv = opts.from ?? '';
  if (opts.from === undefined) {
    const q = new URLSearchParams(opts.query);
    if (opts.informer) q.set('resourceVersion', '0');
    const first = await list(q);
    rv = first.metadata.resourceVersion;
    for (const o of first.items) known.set(keyOf(o), o);
    if (await handlers.onList?.(first.items, rv)) {
      // The reflector opens its watch as soon as it has listed, before the list is looked at (on
      // a cluster, whose audit log should read as kubectl's; jobctl's own server is spared it).
      if (opts.informer && !client.endpoint.local)
        await client.stream(watchPath(rv)).then(
          (res) => res.destroy(),
          () => undefined,
        );
      return true;
    }
  }
  while (!opts.signal?.aborted) {
    try {
      for await (const ev of client.watch<T>(watchPath(rv), opts.signal)) {
        if (ev.type === 'ERROR') throw new StatusError(ev.object as never);
        rv = ev.object.metadata.resourceVersion ?? rv;
        // A bookmark only moves the revision a dropped stream resumes from.
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') known.delete(keyOf(ev.object));
        else known.set(keyOf(ev.object), ev.object);
        if (await handlers.onEvent(ev as ObjectEvent<T>)) return true;
      }
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (e.status.code === 410) {
        // Compacted past our revision: list again and report the differences as events.
        const again = await list();
        rv = again.metadata.resourceVersion;
        if (await relist(known, again.items, handlers)) return true;
        continue;
      }
      if (e.status.code !== 503) throw e; // unreachable: reconnect below; anything else is the caller's
    }
    if (opts.signal?.aborted) break;
    // The server closed the stream (restart, slow reader): resume from the last revision.
    await sleep(opts.retryMs ?? 200, opts.signal);
    if (opts.reconnect) client = await opts.reconnect().catch(() => client);
  }
  return false;
}

async function relist<T extends ApiObject>(
  known: Map<string, T>,
  items: T[],
  handlers: ListWatchHandlers<T>,
): Promise<boolean> {
  const now = new Map(items.map((o) => [keyOf(o), o]));
  for (const [k, old] of known) {
    if (!now.has(k) && (await handlers.onEvent({ type: 'DELETED', object: old }))) return true;
  }
  for (const [k, o] of now) {
    const old = known.get(k);
    if (old?.metadata.resourceVersion === o.metadata.resourceVersion) continue;
    if (await handlers.onEvent({ type: old ? 'MODIFIED' : 'ADDED', object: o })) return true;
  }
  known.clear();
  for (const [k, o] of now) known.set(k, o);
  return false;
}

export type { WatchEvent };
