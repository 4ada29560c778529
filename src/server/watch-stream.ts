// A watch stream: the changes of a kind as JSON lines (or one-row Tables for `get -w`), from a
// resource version or from the current objects, with bookmarks and timeouts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, resourceByKind, StatusError, type ApiObject } from '../api/index.js';
import { toTable, wantsTable, type ApiServer } from '../apiserver/index.js';
import type { Change } from '../store/index.js';
import { queryBool } from './http-io.js';
import { requestMatcher } from './selection.js';

export const MAX_WATCH_BUFFER_BYTES = 16 * 1024 * 1024;
/** How often a watch that allows bookmarks gets one (Kubernetes: about once a minute). */
const BOOKMARK_INTERVAL_MS = 60_000;

export function serveWatch(
  api: ApiServer,
  watchers: Set<ServerResponse>,
  req: IncomingMessage,
  res: ServerResponse,
  kind: string,
  namespace: string | undefined,
  q: URLSearchParams,
): void {
  const rv = Number(q.get('resourceVersion') ?? 0) || 0;
  const match = requestMatcher(q, resourceByKind(kind)!);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders(); // a watcher learns at once that its stream is open, even before any event
  watchers.add(res);
  // Events go out once per turn of the event loop, after the writes they tell of are committed.
  let queued: string[] = [];
  const deliver = () => {
    const lines = queued;
    queued = [];
    if (res.writableEnded) return;
    if (res.writableLength > MAX_WATCH_BUFFER_BYTES) {
      // A reader this far behind re-lists: end its stream rather than buffer without bound.
      res.end();
      return;
    }
    api.flush();
    res.write(lines.join(''));
  };
  // As Tables when asked (kubectl's `get -w`): one row each, the columns in the first only.
  const tables = wantsTable(req.headers.accept);
  let columnsSent = false;
  const send = (c: Change) => {
    const o = c.object;
    if (namespace && o.metadata.namespace !== namespace) return;
    if (match && !match(o)) return;
    if (queued.length === 0) setImmediate(deliver);
    let object = c.json;
    if (tables) {
      const includeObject = q.get('includeObject');
      object = JSON.stringify(toTable(kind, [o], Date.now(), { includeObject, withColumns: !columnsSent }));
      columnsSent = true;
    }
    queued.push(`{"type":"${c.type}","object":${object}}\n`);
  };
  let stop: () => void = () => undefined;
  try {
    if (rv === 0) {
      // No resourceVersion (or 0): the current objects as ADDED, then what changes, as
      // Kubernetes starts such a watch; not the log's history.
      const now = api.listJson(kind, namespace);
      for (const json of now.items) send({ rev: 0, type: 'ADDED', object: JSON.parse(json) as ApiObject, json });
      stop = api.watch(kind, Number(now.resourceVersion), send);
    } else stop = api.watch(kind, rv, send);
  } catch (e) {
    if (e instanceof StatusError) {
      res.write(JSON.stringify({ type: 'ERROR', object: e.status }) + '\n');
      res.end();
      watchers.delete(res);
      return;
    }
    throw e;
  }
  // allowWatchBookmarks: a BOOKMARK with the revision seen so far, each minute and before a
  // timeout ends the stream, so that the client's next watch starts from there (not for Tables).
  const bookmarks = queryBool(q, 'allowWatchBookmarks') && !tables;
  const bookmark = () => {
    deliver();
    if (res.writableEnded) return;
    const r = resourceByKind(kind)!;
    const rvNow = String(api.currentRevision());
    const object = { kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: rvNow } };
    res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  };
  const ticker = bookmarks ? setInterval(bookmark, BOOKMARK_INTERVAL_MS) : undefined;
  // timeoutSeconds: the stream ends then (what was queued goes first); the client watches again.
  const timeout = Number(q.get('timeoutSeconds'));
  const timer =
    timeout > 0
      ? setTimeout(() => {
          if (bookmarks) bookmark();
          else deliver();
          res.end();
        }, timeout * 1000)
      : undefined;
  const done = () => {
    clearInterval(ticker);
    clearTimeout(timer);
    stop();
    watchers.delete(res);
  };
  res.on('close', done);
  req.on('close', done);
}
