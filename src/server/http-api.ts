// The Kubernetes REST API subset jobctl serves, on node:https: jobs (+status), pods (+log),
// events, configmaps, secrets and namespaces; lists with label and field selectors (selection.ts);
// watch streams (watch-stream.ts); server-side apply; discovery and OpenAPI.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import {
  goPlatform,
  badRequestError,
  makeStatus,
  apiVersionOf,
  resourceByPlural,
  StatusError,
  type ApiObject,
} from '../api/index.js';
import {
  AGGREGATED_DISCOVERY,
  aggregatedDiscovery,
  discoveryAt,
  managerOf,
  openapiDocument,
  openapiIndex,
  parseFieldValidation,
  TABLE_CONTENT_TYPE,
  toTable,
  wantsTable,
  wantsAggregated,
  type ApiServer,
} from '../apiserver/index.js';
import type { LogWrites } from '../runtime/log-capture.js';
import { requestMatcher } from './selection.js';
import { serveWatch } from './watch-stream.js';
import { dryRunOf, queryBool, readBody, sendJson, sendRawJson, sendStatus, validateDeleteOptions } from './http-io.js';

/** The Kubernetes version whose API jobctl serves, as /version and the node report it. */
export const KUBE_VERSION = 'v1.32.0-jobctl';
import { logWindow, streamLogs } from './logs.js';
import { RemoteCommands, refuseUpgrade } from './remote-command.js';
import { MetricsApi } from './metrics.js';
import { listKey, pageOf } from './paging.js';
import { ATTEMPTS_PATH, type AttemptsApi } from './attempts.js';

/** pods/portforward: refused in words (kubectl prints them after `error upgrading connection: `). */
const PORT_FORWARD_PATH = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/portforward$/;
const NO_PORT_FORWARD =
  "port-forward is not served by jobctl: a pod's network is its own loopback, with no address to forward to; reach a port from inside the pod (exec POD -- wget -qO- http://127.0.0.1:PORT)";

interface Route {
  resource: string;
  namespace?: string;
  name?: string;
  sub?: string;
}

/** `/apis/batch/v1/namespaces/ns/jobs/name/status`, `/api/v1/pods`, ... */
export function parsePath(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'apis' && parts.length >= 3) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  else if (parts[0] === 'api' && parts.length >= 2) [group, version, rest] = ['', parts[1], parts.slice(2)];
  else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, sub, ...extra] = rest;
  const r = resource ? resourceByPlural(resource) : undefined;
  if (!r || extra.length || r.group !== group || r.version !== version) return undefined;
  return { resource, namespace, name, sub };
}

/**
 * Whether the connection presented a client certificate this home's CA signed (Node checked it in
 * the handshake). Not on a resumed session: Node reports those `authorized` with no certificate at
 * all (the server also issues no tickets, so a certificate client always has a full handshake).
 */
function clientCertified(socket: TLSSocket): boolean {
  return socket.authorized && !socket.isSessionReused() && Object.keys(socket.getPeerCertificate()).length > 0;
}

/** One request as the audit log records it: no token, no body. */
function auditLine(req: IncomingMessage, authorized: boolean): string {
  const socket = req.socket as TLSSocket;
  const url = new URL(req.url ?? '/', 'https://localhost');
  const auth = clientCertified(socket)
    ? 'certificate'
    : (req.headers.authorization ?? '').split(' ')[0].toLowerCase() || 'none';
  return JSON.stringify({
    method: req.method,
    path: url.pathname,
    query: url.search.slice(1),
    auth,
    authorized,
    sni: (socket as TLSSocket & { servername?: string | false }).servername || '',
    userAgent: req.headers['user-agent'] ?? '',
  });
}

export interface ApiOptions {
  token: string;
  logRoot: string;
  /** The kubelet's writes of captured output: `logs -f` reads on each one. */
  logWrites: Pick<LogWrites, 'onWrite' | 'settled'>;
  onActivity: () => void;
  /** Receives each request as it is authenticated (JOBCTL_AUDIT_LOG). */
  audit?: (line: string) => void;
  /** jobctl's own: every attempt of a Job or pod, and its output. */
  attempts: AttemptsApi;
  /** pods/exec and pods/attach. */
  streams: RemoteCommands;
  /** metrics.k8s.io: pods' CPU and memory, for `top`. */
  metrics: MetricsApi;
}

export class HttpApi {
  private readonly watchers = new Set<ServerResponse>();

  constructor(
    private readonly api: ApiServer,
    private readonly opts: ApiOptions,
  ) {}

  watchCount(): number {
    return this.watchers.size;
  }

  closeWatches(): void {
    for (const w of this.watchers) w.end();
    this.watchers.clear();
  }

  private authorized(req: IncomingMessage): boolean {
    // A client certificate this home's CA signed.
    if (clientCertified(req.socket as TLSSocket)) return true;
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const want = Buffer.from(this.opts.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  /** An upgrade request (exec, attach): authenticated as any other, then handed to the streams. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.opts.onActivity();
    const authorized = this.authorized(req);
    if (this.opts.audit) this.opts.audit(auditLine(req, authorized));
    if (!authorized) return refuseUpgrade(socket, makeStatus(401, 'Unauthorized', 'Unauthorized'));
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (PORT_FORWARD_PATH.test(path)) return refuseUpgrade(socket, makeStatus(400, 'BadRequest', NO_PORT_FORWARD));
    if (!RemoteCommands.handles(path))
      return refuseUpgrade(socket, makeStatus(404, 'NotFound', 'the server could not find the requested resource'));
    await this.opts.streams.serve(req, socket, head);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.opts.onActivity();
    // No answer tells a client of a write that a crash could still take back.
    const writeHead = res.writeHead;
    res.writeHead = ((...args: Parameters<typeof writeHead>) => {
      this.api.flush();
      return writeHead.apply(res, args);
    }) as typeof writeHead;
    try {
      const authorized = this.authorized(req);
      if (this.opts.audit) this.opts.audit(auditLine(req, authorized));
      if (!authorized) {
        sendStatus(res, makeStatus(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz' || url.pathname === '/readyz') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      }
      if (url.pathname === '/version') {
        // version.Info whole, as an API server answers (kubectl shows its empty fields as such).
        sendJson(res, 200, {
          major: '1',
          minor: '32',
          gitVersion: KUBE_VERSION,
          gitCommit: '',
          gitTreeState: '',
          buildDate: '',
          goVersion: '',
          compiler: '',
          platform: goPlatform(),
        });
        return;
      }
      if (url.pathname === '/openapi/v3' && req.method === 'GET') {
        sendJson(res, 200, openapiIndex());
        return;
      }
      const openapi = url.pathname.startsWith('/openapi/v3/') && openapiDocument(url.pathname.slice(12));
      if (openapi && req.method === 'GET') {
        sendRawJson(res, 200, openapi);
        return;
      }
      if (
        req.method === 'GET' &&
        (url.pathname === '/api' || url.pathname === '/apis') &&
        wantsAggregated(req.headers.accept)
      ) {
        const body = JSON.stringify(aggregatedDiscovery(url.pathname === '/api'));
        sendRawJson(res, 200, body, [], AGGREGATED_DISCOVERY);
        return;
      }
      const discovered = discoveryAt(url.pathname, `127.0.0.1:${req.socket.localPort}`);
      if (discovered && req.method === 'GET') {
        sendJson(res, 200, discovered);
        return;
      }
      const attempts = req.method === 'GET' && ATTEMPTS_PATH.exec(url.pathname);
      if (attempts) {
        const [, ns, resource, name, n] = attempts.map((x) => x && decodeURIComponent(x));
        const of = resource as 'jobs' | 'pods';
        if (n) await this.opts.attempts.log(ns, of, name, Number(n), queryBool(url.searchParams, 'timestamps'), res);
        else sendJson(res, 200, this.opts.attempts.list(ns, of, name));
        return;
      }
      if (req.method === 'GET' && MetricsApi.handles(url.pathname)) {
        sendJson(res, 200, await this.opts.metrics.get(url.pathname, url.searchParams));
        return;
      }
      const route = parsePath(url.pathname);
      if (!route)
        throw new StatusError(makeStatus(404, 'NotFound', 'the server could not find the requested resource'));
      await this.dispatch(req, res, route, url.searchParams);
    } catch (e) {
      if (e instanceof StatusError) sendStatus(res, e.status);
      else sendStatus(res, makeStatus(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): Promise<void> {
    const info = resourceByPlural(r.resource)!;
    const method = req.method ?? 'GET';
    // Cluster-scoped objects (namespaces) are stored under the empty namespace.
    const ns = info.namespaced ? (r.namespace ?? 'default') : '';
    if (!r.name) {
      if (method === 'GET') {
        if (queryBool(q, 'watch')) return serveWatch(this.api, this.watchers, req, res, info.kind, r.namespace, q);
        // The stored JSON goes out as it is: parsed only to apply selectors, never re-serialised.
        const match = requestMatcher(q, info);
        const about = info.kind === 'Event' ? match?.equalities.get('involvedObject.uid') : undefined;
        const list =
          about !== undefined
            ? this.api.eventsAboutJson(about, r.namespace)
            : this.api.listJson(info.kind, r.namespace);
        const candidates = match
          ? list.items.filter((json) => match.needles.every((n) => json.includes(n)))
          : list.items;
        const paged = q.has('limit') || q.has('continue');
        if (wantsTable(req.headers.accept)) {
          // Parsed once, for the selector and the cells.
          const parsed = candidates.map((j) => JSON.parse(j) as ApiObject);
          const page = pageOf(match ? parsed.filter(match) : parsed, listKey, q, list.resourceVersion);
          const table = toTable(info.kind, page.items, Date.now(), {
            resourceVersion: list.resourceVersion,
            includeObject: q.get('includeObject'),
            continue: page.continue,
            remainingItemCount: page.remainingItemCount,
          });
          sendRawJson(res, 200, JSON.stringify(table), [], TABLE_CONTENT_TYPE);
          return;
        }
        const selected = match ? candidates.filter((json) => match(JSON.parse(json) as ApiObject)) : candidates;
        // Paging parses each item for its key; an unpaged list goes out as stored.
        const page = paged
          ? pageOf(selected, (json) => listKey(JSON.parse(json) as ApiObject), q, list.resourceVersion)
          : { items: selected };
        const items = page.items;
        const head = {
          kind: `${info.kind}List`,
          apiVersion: apiVersionOf(info),
          metadata: {
            resourceVersion: list.resourceVersion,
            ...(page.continue ? { continue: page.continue, remainingItemCount: page.remainingItemCount } : {}),
          },
        };
        sendRawJson(res, 200, `${JSON.stringify(head).slice(0, -1)},"items":[${items.join(',')}]}`);
        return;
      }
      if (method === 'POST' && (r.namespace || !info.namespaced)) return this.create(req, res, info.kind, ns, q);
      throw new StatusError(
        makeStatus(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
      );
    }
    if (r.sub === 'log' && r.resource === 'pods' && method === 'GET') {
      let closed = false;
      res.on('close', () => (closed = true));
      const tail = q.get('tailLines');
      await streamLogs(
        this.api.registry.store,
        this.opts.logRoot,
        ns,
        r.name,
        {
          container: q.get('container') ?? undefined,
          follow: queryBool(q, 'follow'),
          previous: queryBool(q, 'previous'),
          tailLines: tail !== null && /^\d+$/.test(tail) ? Number(tail) : undefined,
          timestamps: queryBool(q, 'timestamps'),
          ...logWindow(q),
        },
        res,
        () => closed,
        this.opts.logWrites,
      );
      return;
    }
    if ((r.sub === 'exec' || r.sub === 'attach') && r.resource === 'pods')
      throw new StatusError(makeStatus(400, 'BadRequest', 'Upgrade request required'));
    if (r.sub && !(r.sub === 'status' && info.subresources.includes('status')))
      throw new StatusError(makeStatus(404, 'NotFound', 'the server could not find the requested resource'));
    const dryRun = dryRunOf(q.getAll('dryRun'));
    const status = r.sub === 'status';
    switch (method) {
      case 'GET': {
        const o = this.api.get(info.kind, ns, r.name);
        if (!status && wantsTable(req.headers.accept)) {
          const table = toTable(info.kind, [o], Date.now(), { includeObject: q.get('includeObject') });
          sendRawJson(res, 200, JSON.stringify(table), [], TABLE_CONTENT_TYPE);
        } else sendJson(res, 200, o);
        return;
      }
      case 'PUT': {
        const body = (await readBody(req)) as ApiObject;
        if (!body || typeof body !== 'object' || body.kind !== info.kind)
          throw badRequestError(`the body of the request is not a ${info.kind}`);
        const warnings: string[] = [];
        const fieldValidation = parseFieldValidation(q.get('fieldValidation'));
        const manager = managerOf(q.get('fieldManager'), req.headers['user-agent']);
        const opts = { status, dryRun, fieldValidation, warnings, manager };
        const written = this.api.update(info.kind, ns, r.name, body, opts);
        sendJson(res, 200, written, warnings);
        return;
      }
      case 'PATCH': {
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
        const patch = await readBody(req);
        const warnings: string[] = [];
        const fieldValidation = parseFieldValidation(q.get('fieldValidation'));
        const force = queryBool(q, 'force');
        if (type === 'application/apply-patch+yaml') {
          // Server-side apply names its manager; it is not taken from the User-Agent.
          const opts = { status, dryRun, fieldValidation, warnings, force, manager: q.get('fieldManager') ?? '' };
          const { object, created } = this.api.apply(info.kind, ns, r.name, patch, opts);
          sendJson(res, created ? 201 : 200, object, warnings);
          return;
        }
        const manager = managerOf(q.get('fieldManager'), req.headers['user-agent']);
        const opts = { status, dryRun, fieldValidation, warnings, force, manager };
        sendJson(res, 200, this.api.patch(info.kind, ns, r.name, type, patch, opts), warnings);
        return;
      }
      case 'DELETE': {
        let body: { propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: unknown[] } = {};
        const hasBody =
          (req.headers['content-length'] && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'];
        if (hasBody) body = validateDeleteOptions(await readBody(req));
        const grace = q.get('gracePeriodSeconds');
        const { object, warnings } = this.api.delete(info.kind, ns, r.name, {
          propagation: body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined,
          graceSeconds: body.gracePeriodSeconds ?? (grace !== null ? Number(grace) : undefined),
          dryRun: dryRun || dryRunOf(body.dryRun ?? []),
        });
        sendJson(res, 200, object, warnings);
        return;
      }
      default:
        throw new StatusError(
          makeStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
        );
    }
  }

  private async create(
    req: IncomingMessage,
    res: ServerResponse,
    kind: string,
    ns: string,
    q: URLSearchParams,
  ): Promise<void> {
    const body = (await readBody(req)) as ApiObject;
    if (!body || typeof body !== 'object' || body.kind !== kind)
      throw badRequestError(`the body of the request is not a ${kind}`);
    const fields = parseFieldValidation(q.get('fieldValidation'));
    const manager = managerOf(q.get('fieldManager'), req.headers['user-agent']);
    const { object, warnings } = this.api.create(kind, ns, body, dryRunOf(q.getAll('dryRun')), fields, manager);
    sendJson(res, 201, object, warnings);
  }
}
