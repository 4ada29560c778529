// The composition root: open the store, build the runtime, start the controllers, serve the API.
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { constants as cryptoConstants } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import {
  homePaths,
  isProcessAlive,
  type ConfigMap,
  type Job,
  type Pod,
  type Secret,
  type ServerAddress,
} from '../api/index.js';
import { GarbageCollector } from '../controller/gc.js';
import { JobController } from '../controller/job/controller.js';
import { NamespaceController } from '../controller/namespace.js';
import { Scheduler } from '../controller/scheduler.js';
import { TtlController } from '../controller/ttl.js';
import { beforeEngineWrites, type ContainerRuntime } from '../runtime/cri.js';
import { DockerRuntime } from '../runtime/docker/engine.js';
import { SimulatedRuntime } from '../runtime/simulated/runtime.js';
import { Kubelet, type PodHost } from '../runtime/kubelet.js';
import { machineUsage } from '../runtime/machine-usage.js';
import { ApiServer, EventExpiry, Registry } from '../apiserver/index.js';
import { Store } from '../store/index.js';
import type { ServerConfig } from './config.js';
import { AttemptsApi } from './attempts.js';
import { RemoteCommands } from './remote-command.js';
import { MetricsApi } from './metrics.js';
import { HttpApi, KUBE_VERSION } from './http-api.js';
import { registerNode } from './node-registration.js';
import { ensureTls, TlsSetupError, type ServerTls } from './tls.js';

export class ServerStartError extends Error {}

/**
 * One server per home: the pid file appears whole or not at all (written aside, then linked into
 * place, which fails if it exists), so a racing server never reads it empty and takes it for a
 * dead one's; a stale one (dead pid) is replaced.
 */
function acquirePidFile(path: string): void {
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, String(process.pid), { mode: 0o600 });
  try {
    takePidFile(path, mine);
  } finally {
    rmSync(mine, { force: true });
  }
}

function takePidFile(path: string, mine: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(mine, path);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && pid !== process.pid && isProcessAlive(pid))
        throw new ServerStartError(`a jobctl server (pid ${pid}) already runs for this JOBCTL_HOME`);
      rmSync(path, { force: true });
    }
  }
  throw new ServerStartError(`could not take ${path}`);
}

export function prepareHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const st = statSync(home);
  if (st.mode & 0o022) {
    throw new ServerStartError(
      `${home} is writable by others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 700 ${home}`,
    );
  }
}

export function readOrCreateToken(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const token = randomBytes(32).toString('hex');
  writeFileSync(path, token + '\n', { mode: 0o600, flag: 'wx' });
  return token;
}

/**
 * Listens on the port asked for (JOBCTL_PORT), else the one kept from the last start (exported
 * kubeconfigs name it), else one the system picks, which is then kept. A kept port another
 * process took is given up, with a warning: kubeconfigs must be exported again.
 */
async function listenOnKeptPort(
  http: Server,
  portFile: string,
  asked: number | undefined,
  log: (m: string) => void,
): Promise<number> {
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const failed = (e: Error) => reject(e);
      http.once('error', failed);
      http.listen(port, '127.0.0.1', () => {
        http.off('error', failed);
        resolve();
      });
    });
  let kept: number | undefined;
  try {
    kept = Number(readFileSync(portFile, 'utf8').trim()) || undefined;
  } catch {
    /* first start */
  }
  const want = asked ?? kept ?? 0;
  try {
    await listen(want);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || asked !== undefined) {
      throw new ServerStartError(`cannot listen on 127.0.0.1:${want}: ${(e as Error).message}`);
    }
    log(`port ${want} is taken by another process: listening on another; run \`jobctl kubeconfig --merge\` again`);
    await listen(0);
  }
  const port = (http.address() as { port: number }).port;
  if (port !== kept) writeFileSync(portFile, `${port}\n`, { mode: 0o600 });
  return port;
}

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
  done: Promise<void>;
}

export async function startServer(config: ServerConfig, log: (m: string) => void): Promise<RunningServer> {
  const paths = homePaths(config.home);
  prepareHome(config.home);
  acquirePidFile(paths.pid);
  let http: Server | undefined;
  try {
    mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
    mkdirSync(paths.pods, { recursive: true, mode: 0o711 });
    const token = readOrCreateToken(paths.token);
    let tls: ServerTls;
    try {
      tls = ensureTls(config.home);
    } catch (e) {
      if (e instanceof TlsSetupError) throw new ServerStartError(e.message);
      throw e;
    }
    const store = new Store(paths.database);
    for (const f of [paths.database, `${paths.database}-wal`, `${paths.database}-shm`])
      if (existsSync(f)) chmodSync(f, 0o600);
    let instanceId = store.getMeta('instanceId');
    if (!instanceId) {
      instanceId = randomBytes(8).toString('hex');
      store.setMeta('instanceId', instanceId);
    }
    const registry = new Registry(store);
    const runtime: ContainerRuntime = beforeEngineWrites(
      config.docker ? new DockerRuntime(config.docker) : new SimulatedRuntime(),
      () => store.flush(),
    );
    const nodeName = hostname();
    const host: PodHost = {
      setPodStatus(pod, status) {
        return store.transact(() => {
          // Shared, not a copy: read here, and written back as a new object.
          const cur = store.peek<Pod>('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
          if (!cur || cur.metadata.uid !== pod.metadata.uid) return false;
          const next = structuredClone(status);
          // The kubelet writes whole statuses; a DisruptionTarget the API server set stays.
          const disruption = cur.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
          if (disruption && !next.conditions?.some((c) => c.type === 'DisruptionTarget'))
            (next.conditions ??= []).push(structuredClone(disruption));
          if (JSON.stringify(cur.status) === JSON.stringify(next)) return true;
          store.update<Pod>({ ...cur, metadata: { ...cur.metadata }, status: next });
          return true;
        });
      },
      recordEvent(pod, type, reason, message, source, fieldPath) {
        registry.recordEvent(pod, type, reason, message, source, fieldPath);
      },
      together(fn) {
        store.transact(fn);
      },
      recordContainer: (id, podUid) => store.addContainer(id, podUid),
      forgetContainer: (id) => store.removeContainer(id),
      knownContainers: (podUid) => store.knownContainers(podUid),
      getConfigMap: (ns, name) => store.get<ConfigMap>('ConfigMap', ns, name),
      getSecret: (ns, name) => store.get<Secret>('Secret', ns, name),
      jobExists(ns, name, uid) {
        return store.peek<Job>('Job', ns, name)?.metadata.uid === uid;
      },
      podTerminated(pod) {
        registry.podTerminated(pod.metadata.namespace ?? '', pod.metadata.name ?? '', pod.metadata.uid ?? '');
      },
    };
    const kubelet = new Kubelet(runtime, host, {
      instanceId,
      logRoot: paths.logs,
      podRoot: paths.pods,
      nodeName,
      backoffBaseMs: config.backoffBaseMs,
      evictionIntervalMs: config.evictionIntervalMs,
      jobLogCapBytes: config.jobLogCapBytes,
      sandboxImage: config.sandboxImage,
      log,
    });
    const jobs = new JobController(registry, { podBackoffBaseMs: config.backoffBaseMs, log });
    const ttl = new TtlController(registry, log);
    const gc = new GarbageCollector(registry);
    const namespaces = new NamespaceController(registry, log);
    const scheduler = new Scheduler(registry, nodeName, log);
    registry.namespaces.ensure();
    const eventExpiry = new EventExpiry(store, registry.clock, config.eventTtlMs);
    let lastActivity = Date.now();
    const streams = new RemoteCommands(store, runtime);
    const api = new HttpApi(new ApiServer(registry), {
      streams,
      // The node is this machine where the engine's containers see its paths (an engine here).
      metrics: new MetricsApi(store, runtime, runtime.bindsHostPaths ? machineUsage : undefined),
      token,
      logRoot: paths.logs,
      logWrites: kubelet.logWrites,
      attempts: new AttemptsApi(registry, paths.logs, config.backoffBaseMs),
      onActivity: () => (lastActivity = Date.now()),
      audit: config.auditLog ? (line) => appendFileSync(config.auditLog!, `${line}\n`, { mode: 0o600 }) : undefined,
    });

    kubelet.sweepKeptRuns(store.list<Pod>('Pod'));
    try {
      await runtime.ping();
      await kubelet.adopt(store.list<Pod>('Pod'));
    } catch (e) {
      log(`${runtime.name} runtime at ${runtime.endpoint}: ${(e as Error).message}`);
    }
    const registered = registerNode(
      store,
      runtime,
      nodeName,
      { ...config.node, kubeletVersion: KUBE_VERSION, endpoint: runtime.endpoint },
      () => registry.now(),
    );
    store.subscribe((c) => {
      if (c.object.kind === 'Pod') kubelet.podChanged(c.object as Pod, c.type === 'DELETED');
      else if (c.object.kind === 'Job' && c.type === 'DELETED') {
        const m = c.object.metadata;
        kubelet.jobDeleted(m.namespace ?? '', m.name ?? '', m.uid ?? '');
      }
      jobs.onChange(c);
      ttl.onChange(c);
      namespaces.onChange(c);
      scheduler.onChange(c);
      queueMicrotask(() => gc.onChange(c));
    });
    gc.collectAll();
    jobs.resyncAll();
    ttl.resyncAll();
    namespaces.resyncAll();
    scheduler.resyncAll();
    eventExpiry.start();

    // A client certificate signed by this home's CA authenticates as the token does (kubeconfigs
    // with client-certificate/client-key); it is asked for, not required.
    // No session tickets: a resumed session carries no certificate to check (see http-api.ts).
    const tlsOptions = {
      key: tls.key,
      cert: tls.cert,
      ca: tls.ca,
      requestCert: true,
      rejectUnauthorized: false,
      secureOptions: cryptoConstants.SSL_OP_NO_TICKET,
    };
    http = createServer(tlsOptions, (req, res) => void api.handle(req, res));
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void api.upgrade(req, socket, head));
    http.keepAliveTimeout = 5000;
    http.maxHeadersCount = 100;
    http.headersTimeout = 10_000;
    // Requests Node's parser refuses (unknown methods, broken headers) still get a Status.
    http.on('clientError', (err, socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `bad request: ${err.message}`,
        reason: 'BadRequest',
        code: 400,
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    const port = await listenOnKeptPort(http, paths.port, config.port, log);
    const address: ServerAddress = { pid: process.pid, port, startedAt: new Date().toISOString() };
    writeFileSync(paths.address, JSON.stringify(address), { mode: 0o600 });
    log(`listening on 127.0.0.1:${port} (pid ${process.pid}, home ${config.home})`);
    log(`container runtime: ${runtime.name} at ${runtime.endpoint}`);
    void registered.first.then((info) =>
      log(info ? `engine: ${info.runtimeVersion}, ${info.osImage}, ${info.cpus} CPUs` : 'engine: not answering'),
    );

    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    let stopping: Promise<void> | undefined;
    const idleCheck = setInterval(
      () => {
        const busy =
          kubelet.activePods() > 0 ||
          api.watchCount() > 0 ||
          streams.count() > 0 ||
          !jobs.queue.isIdle() ||
          jobs.queue.hasPendingTimers() ||
          ttl.queue.hasPendingTimers() ||
          namespaces.queue.hasPendingTimers();
        if (busy) lastActivity = Date.now();
        else if (Date.now() - lastActivity > config.idleTimeoutMs) void stop();
      },
      Math.min(60_000, Math.max(1000, config.idleTimeoutMs / 4)),
    );
    idleCheck.unref();

    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        clearInterval(idleCheck);
        log('stopping');
        // Containers keep running: a restarted server adopts them.
        jobs.queue.stop();
        ttl.queue.stop();
        namespaces.queue.stop();
        eventExpiry.stop();
        await registered.stop(); // the engine's report of the node, written before the store closes
        await kubelet.shutdown();
        api.closeWatches();
        streams.closeAll();
        await new Promise<void>((r) => http!.close(() => r()));
        http!.closeAllConnections();
        store.close();
        rmSync(paths.address, { force: true });
        rmSync(paths.pid, { force: true });
        resolveDone();
      })());
    return { port, stop, done };
  } catch (e) {
    http?.close();
    rmSync(paths.pid, { force: true });
    throw e;
  }
}
