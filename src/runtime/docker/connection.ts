// How requests reach the engine: its unix socket; TCP, plain or TLS (a keep-alive agent with the
// endpoint's CA, client certificate and verification); or SSH, as the docker CLI does it: each
// connection is an `ssh ... docker system dial-stdio` on the engine's host. For SSH a private unix
// socket bridges node:http's connections to those processes, so connections are kept and reused
// like any other (one ssh process each, not one per request).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerEndpoint } from './endpoint.js';

export interface EngineRequest {
  method: string;
  path: string;
  headers: Record<string, string | number>;
  timeout: number;
}

export interface EngineConnection {
  request(r: EngineRequest, onResponse: (res: IncomingMessage) => void): ClientRequest;
  /** Resolves when requests can be made (the SSH bridge listens). */
  ready: Promise<void>;
  /** Why the last connection failed, in the transport's words (ssh's own message), if it did. */
  lastFailure(): string | undefined;
  close(): void;
}

export function connectEngine(endpoint: DockerEndpoint): EngineConnection {
  const t = endpoint.transport;
  if (t.kind === 'unix') {
    return {
      request: (r, cb) => httpRequest({ socketPath: t.socket, ...r }, cb),
      ready: Promise.resolve(),
      lastFailure: () => undefined,
      close: () => undefined,
    };
  }
  if (t.kind === 'tcp') {
    const tls = t.tls;
    const agent = tls
      ? new HttpsAgent({
          keepAlive: true,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: !tls.skipVerify,
        })
      : new HttpAgent({ keepAlive: true });
    const send = tls ? httpsRequest : httpRequest;
    return {
      request: (r, cb) => send({ host: t.host, port: t.port, agent, ...r }, cb),
      ready: Promise.resolve(),
      lastFailure: () => undefined,
      close: () => agent.destroy(),
    };
  }
  return sshBridge(t.args);
}

function sshBridge(args: string[]): EngineConnection {
  const dir = mkdtempSync(join(tmpdir(), 'jobctl-ssh-'));
  const socket = join(dir, 'engine.sock');
  let failure: string | undefined;
  const children = new Set<ReturnType<typeof spawn>>();
  const server: Server = createServer((conn) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    let answered = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    child.stdout.once('data', () => (answered = true));
    conn.pipe(child.stdin).on('error', () => undefined);
    child.stdout.pipe(conn).on('error', () => undefined);
    conn.on('error', () => undefined);
    conn.on('close', () => child.kill());
    child.on('error', (e) => {
      failure = `ssh: ${e.message}`;
      conn.destroy();
    });
    child.on('close', (code) => {
      children.delete(child);
      const said = stderr.trim().split('\n').filter(Boolean).pop();
      if (!answered && (code ?? 0) !== 0) failure = said ?? `ssh exited with code ${code}`;
      else if (answered) failure = undefined;
      conn.destroy();
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  ready.catch(() => undefined);
  const agent = new HttpAgent({ keepAlive: true });
  return {
    request: (r, cb) => httpRequest({ socketPath: socket, agent, ...r }, cb),
    ready,
    lastFailure: () => failure,
    close: () => {
      agent.destroy();
      for (const c of children) c.kill();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
