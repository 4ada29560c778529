// The CLI's typed client for the Kubernetes-shaped API.
import { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { Duplex } from 'node:stream';
import { acceptKey, makeStatus, newWebSocketKey, StatusError, type ApiObject, type Status } from '../api/index.js';
import type { Credentials, Endpoint } from './endpoint.js';
import { ExecCredentialError } from './exec-credential.js';
import { ProxyAgent } from './proxy.js';

export interface Response<T> {
  body: T;
  warnings: string[];
}

export interface WatchEvent<T extends ApiObject = ApiObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR' | 'BOOKMARK';
  object: T;
}

export interface ListResult<T> {
  items: T[];
  metadata: { resourceVersion: string };
}

/** `299 - "text"` warning headers, as Kubernetes sends them. */
function parseWarnings(res: IncomingMessage): string[] {
  const h = res.headers.warning;
  const list = Array.isArray(h) ? h : h ? h.split(/,(?=\s*299 )/) : [];
  return list.map((w) => {
    const m = /^\s*299\s+\S+\s+("(?:[^"\\]|\\.)*")/.exec(w);
    return m ? (JSON.parse(m[1]) as string) : w;
  });
}

/** kubectl's page size for lists (`--chunk-size`). */
const LIST_PAGE = 500;

/** The server could not be reached: kubectl's words for a cluster, jobctl's for its own server. */
export class ConnectionError extends Error {}

/** The server refused to upgrade a connection and said why in text (a kubelet does). */
export class UpgradeError extends Error {}

export interface Upgraded {
  socket: Duplex;
  head: Buffer;
  protocol: string;
}

/**
 * The path with its query in the order Go's url.Values writes it (keys sorted), so that every
 * request reads as kubectl's does: in a cluster's audit log, and in our tests that compare them.
 */
function inGoOrder(path: string): string {
  const i = path.indexOf('?');
  if (i < 0) return path;
  const q = new URLSearchParams(path.slice(i + 1));
  q.sort();
  return `${path.slice(0, i)}?${q}`;
}

export class ApiClient {
  private readonly agent?: ProxyAgent;

  constructor(readonly endpoint: Endpoint) {
    if (endpoint.proxy) this.agent = new ProxyAgent(endpoint.proxy);
  }

  private async credentials(): Promise<Credentials> {
    try {
      return await this.endpoint.credentials();
    } catch (e) {
      if (e instanceof ExecCredentialError) throw new ConnectionError(`Unable to connect to the server: ${e.message}`);
      throw e;
    }
  }

  /** How a request to `path` is sent: the endpoint's TLS, the credentials' headers, the proxy. */
  private options(method: string, path: string, cred: Credentials, headers: Record<string, string | number>) {
    const ep = this.endpoint;
    return {
      host: ep.server.hostname.replace(/^\[|\]$/g, ''),
      port: ep.server.port || 443,
      path: ep.server.pathname.replace(/\/$/, '') + inGoOrder(path),
      ca: ep.ca,
      cert: cred.cert,
      key: cred.key,
      servername: ep.servername,
      rejectUnauthorized: !ep.insecure,
      agent: this.agent,
      method,
      headers: { ...cred.headers, ...headers },
    };
  }

  private async raw(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    retried = false,
  ): Promise<IncomingMessage> {
    const ep = this.endpoint;
    const cred = await this.credentials();
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = {
      Accept: 'application/json',
      ...(data ? { 'Content-Type': contentType, 'Content-Length': data.length } : {}),
    };
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(this.options(method, path, cred, headers), resolve);
      req.on('error', (e) => reject(this.unreachable(e)));
      // --request-timeout: until the answer starts (a watch or a log stream then runs on).
      if (ep.timeoutMs) {
        const timer = setTimeout(
          () => req.destroy(new Error('net/http: request canceled (Client.Timeout exceeded while awaiting headers)')),
          ep.timeoutMs,
        );
        req.on('response', () => clearTimeout(timer));
        req.on('close', () => clearTimeout(timer));
      }
      if (data) req.write(data);
      req.end();
    });
    // A credential that expired or was revoked: an exec plugin is asked again, once.
    if (res.statusCode === 401 && !retried && (await ep.renew())) {
      res.resume();
      return this.raw(method, path, body, contentType, true);
    }
    return res;
  }

  /**
   * A WebSocket upgrade of `path` (exec, attach), offering `protocols`: the connection and the
   * protocol the server chose. A refusal is the server's Status, or its text as an UpgradeError.
   */
  async upgrade(path: string, protocols: readonly string[], retried = false): Promise<Upgraded> {
    const cred = await this.credentials();
    const key = newWebSocketKey();
    const headers = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': 13,
      'Sec-WebSocket-Key': key,
      'Sec-WebSocket-Protocol': protocols.join(', '),
    };
    const answer = await new Promise<Upgraded | IncomingMessage>((resolve, reject) => {
      const req = request(this.options('GET', path, cred, headers));
      req.on('upgrade', (res, socket, head) => {
        const protocol = String(res.headers['sec-websocket-protocol'] ?? '');
        if (res.headers['sec-websocket-accept'] !== acceptKey(key) || !protocols.includes(protocol)) {
          socket.destroy();
          reject(new UpgradeError(`unable to upgrade connection: the server chose protocol "${protocol}"`));
        } else resolve({ socket, head, protocol });
      });
      req.on('response', resolve);
      req.on('error', (e) => reject(this.unreachable(e)));
      req.end();
    });
    if (!(answer instanceof IncomingMessage)) return answer;
    if (answer.statusCode === 401 && !retried && (await this.endpoint.renew())) {
      answer.resume();
      return this.upgrade(path, protocols, true);
    }
    let text = '';
    for await (const c of answer) text += c;
    try {
      const status = JSON.parse(text) as Status;
      if (status.kind === 'Status') throw new StatusError(status);
    } catch (e) {
      if (e instanceof StatusError) throw e;
    }
    throw new UpgradeError(`unable to upgrade connection: ${text.trim() || `HTTP ${answer.statusCode}`}`);
  }

  private unreachable(e: Error): Error {
    if (this.endpoint.local) {
      return new StatusError(makeStatus(503, 'ServiceUnavailable', `the jobctl server is not reachable: ${e.message}`));
    }
    const address = this.endpoint.server.host;
    if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
      return new ConnectionError(
        `The connection to the server ${address} was refused - did you specify the right host or port?`,
      );
    }
    return new ConnectionError(`Unable to connect to the server: ${e.message}`);
  }

  private async fail(res: IncomingMessage): Promise<never> {
    let text = '';
    for await (const c of res) text += c;
    let status: Status;
    try {
      status = JSON.parse(text) as Status;
      if (status.kind !== 'Status') throw new Error('not a Status');
    } catch {
      status = makeStatus(res.statusCode ?? 500, 'InternalError', text || `HTTP ${res.statusCode}`);
    }
    throw new StatusError(status);
  }

  async call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<Response<T>> {
    const res = await this.raw(method, path, body, contentType);
    if ((res.statusCode ?? 500) >= 400) return this.fail(res);
    let text = '';
    for await (const c of res) text += c;
    return { body: (text ? JSON.parse(text) : undefined) as T, warnings: parseWarnings(res) };
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path).then((r) => r.body);
  }

  /**
   * A whole list, in pages of 500 as kubectl asks for it (`limit`, then each page's `continue`);
   * `pageSize` 0 asks for all at once.
   */
  async listAll<T>(path: string, query?: URLSearchParams, pageSize = LIST_PAGE): Promise<ListResult<T>> {
    const items: T[] = [];
    for (let next = ''; ;) {
      const q = new URLSearchParams(query);
      if (pageSize > 0) q.set('limit', String(pageSize));
      if (next) q.set('continue', next);
      const page = await this.get<ListResult<T> & { metadata: { continue?: string } }>(`${path}?${q}`);
      items.push(...page.items);
      next = page.metadata.continue ?? '';
      if (!next) return { items, metadata: { resourceVersion: page.metadata.resourceVersion } };
    }
  }

  /** A streaming GET (logs, watch): the response, after the status was checked. */
  async stream(path: string): Promise<IncomingMessage> {
    const res = await this.raw('GET', path);
    if ((res.statusCode ?? 500) >= 400) return this.fail(res);
    return res;
  }

  /** A watch's events until the server ends the stream, or until `signal` aborts it. */
  async *watch<T extends ApiObject>(path: string, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    if (signal?.aborted) return;
    const res = await this.stream(path);
    const stop = () => res.destroy();
    signal?.addEventListener('abort', stop, { once: true });
    res.setEncoding('utf8');
    let buf = '';
    try {
      for await (const chunk of res) {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) yield JSON.parse(line) as WatchEvent<T>;
        }
      }
    } catch (e) {
      if (!signal?.aborted) throw e;
    } finally {
      signal?.removeEventListener('abort', stop);
      res.destroy();
    }
  }
}
