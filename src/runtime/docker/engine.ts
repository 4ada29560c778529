// The Docker Engine API as a container runtime: a small client on node:http, over the engine's
// unix socket, TCP (with TLS) or SSH (connection.ts). Chosen over dockerode: jobctl needs a dozen
// endpoints, and this keeps start-up light. Podman's Docker-compatible API is served too; where it
// differs (podman.ts), the difference is handled here.
import type { ClientRequest, IncomingMessage } from 'node:http';
import {
  filesystemBytes,
  goArch,
  RuntimeError,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerSummary,
  type ContainerUsage,
  type EngineInfo,
  type LogFrameHandler,
  type StreamOutput,
  type StreamSession,
  type StreamSpec,
  type VolumeSummary,
} from '../cri.js';
import { dockerCreateBody } from './create-body.js';
import { dockerAttach, dockerExec, dockerStats, tracked } from './streams.js';
import { connectEngine, type EngineConnection } from './connection.js';
import {
  DOCKER_API_VERSION,
  logFrames,
  splitImage,
  type ContainerInspect,
  type DockerContainerSummary,
  type EngineEvent,
} from './wire.js';
import { onThisMachine, type DockerEndpoint } from './endpoint.js';
import { engineFlavour, engineLimits, nameConflict, podmanUlimits, type EngineFlavour, type Ulimit } from './podman.js';

/** Docker's failures are the runtime's: 0 when the engine cannot be reached. */
export { RuntimeError as EngineError };

export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  readonly bindsHostPaths: boolean;
  readonly remote?: string;
  private readonly conn: EngineConnection;
  /** Requests in flight, so a stopping server can end its long waits and exit at once. */
  private readonly inflight = new Set<ClientRequest>();
  /** exec and attach sessions open, ended with the rest on close. */
  private readonly sessions = new Set<StreamSession>();
  /** Docker or Podman, asked once. */
  private flavour?: Promise<EngineFlavour>;
  /** Podman's containers' `nofile` and `nproc`, read once (podman.ts). */
  private ulimits?: Ulimit[];

  /** `endpoint`: as the docker CLI would choose it (resolveDockerEndpoint). */
  constructor(private readonly where: DockerEndpoint) {
    this.conn = connectEngine(where);
    this.bindsHostPaths = onThisMachine(where.transport);
    if (!this.bindsHostPaths) this.remote = this.endpoint;
  }

  private kind(): Promise<EngineFlavour> {
    this.flavour ??= this.call<{ Components?: { Name: string }[] }>('GET', '/version', undefined, 10_000).then(
      (v) => engineFlavour(v),
      (e: unknown) => {
        this.flavour = undefined; // asked again once the engine answers
        throw e;
      },
    );
    return this.flavour;
  }

  get endpoint(): string {
    return `${this.where.host} (${this.where.from})`;
  }

  private async raw(method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<IncomingMessage> {
    await this.conn.ready;
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = this.conn.request(
        {
          method,
          path: `/${DOCKER_API_VERSION}${path}`,
          headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {},
          timeout: timeoutMs,
        },
        resolve,
      );
      this.inflight.add(req);
      req.on('close', () => this.inflight.delete(req));
      req.on('timeout', () =>
        req.destroy(new RuntimeError(0, `Docker engine did not answer ${method} ${path} within ${timeoutMs} ms`)),
      );
      req.on('error', (e) =>
        reject(
          e instanceof RuntimeError
            ? e
            : new RuntimeError(
                0,
                `cannot reach the Docker engine at ${this.where.host}: ${this.conn.lastFailure() ?? e.message}`,
              ),
        ),
      );
      if (data) req.write(data);
      req.end();
    });
  }

  private async call<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const res = await this.raw(method, path, body, timeoutMs);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status >= 400) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        /* not JSON */
      }
      throw new RuntimeError(status, message.trim());
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Ends every request in flight (waits, log streams); the containers themselves keep running. */
  close(): void {
    for (const r of this.inflight) r.destroy();
    this.inflight.clear();
    for (const s of this.sessions) s.close();
    this.sessions.clear();
    this.conn.close();
  }

  ping(): Promise<void> {
    return this.raw('GET', '/_ping', undefined, 5000).then((res) => {
      res.resume();
      if ((res.statusCode ?? 500) >= 400) throw new RuntimeError(res.statusCode ?? 500, 'engine ping failed');
    });
  }

  async info(): Promise<EngineInfo> {
    const i = await this.call<{
      NCPU: number;
      MemTotal: number;
      OSType: string;
      Architecture: string;
      KernelVersion: string;
      OperatingSystem: string;
      ServerVersion: string;
      DockerRootDir: string;
      CgroupVersion?: string;
      SecurityOptions?: string[];
      Rootless?: boolean;
    }>('GET', '/info', undefined, 5000);
    // Docker says rootless among its security options, Podman with a field of its own.
    const rootless = i.Rootless === true || (i.SecurityOptions ?? []).includes('name=rootless');
    return {
      cpus: i.NCPU,
      memoryBytes: i.MemTotal,
      operatingSystem: i.OSType || 'linux',
      architecture: goArch(i.Architecture),
      kernelVersion: i.KernelVersion,
      osImage: i.OperatingSystem,
      runtimeVersion: `${await this.kind()}://${i.ServerVersion}`,
      // Where the engine keeps containers, if it is on this machine (as the kubelet's nodefs).
      storageBytes: filesystemBytes(i.DockerRootDir, '/'),
      ...(rootless && i.CgroupVersion === '1'
        ? { limitsIgnored: 'the engine is rootless on cgroup v1, where it cannot set them (cgroup v2 can)' }
        : {}),
    };
  }

  /** The image's id, or undefined when the engine does not have it. */
  imageId(image: string): Promise<string | undefined> {
    return this.call<{ Id: string }>('GET', `/images/${encodeURIComponent(image)}/json`).then(
      (info) => info.Id,
      (e: RuntimeError) => {
        if (e.statusCode === 404) return undefined;
        throw e;
      },
    );
  }

  /** Pulls an image; resolves when done, rejects with the engine's error text. */
  async pullImage(image: string): Promise<void> {
    const [name, tag] = splitImage(image);
    const res = await this.raw(
      'POST',
      `/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`,
      undefined,
      300_000,
    );
    let text = '';
    for await (const c of res) text += c.toString();
    if ((res.statusCode ?? 500) >= 400) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        /* not JSON */
      }
      throw new RuntimeError(res.statusCode ?? 500, message.trim());
    }
    // Errors during a pull arrive inside the progress stream.
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const ev = JSON.parse(line) as { error?: string };
        if (ev.error) throw new RuntimeError(500, ev.error);
      } catch (e) {
        if (e instanceof RuntimeError) throw e;
      }
    }
  }

  async createContainer(name: string, spec: ContainerSpec): Promise<string> {
    const body = dockerCreateBody(spec);
    if ((await this.kind()) === 'podman') {
      const t = this.where.transport;
      this.ulimits ??= podmanUlimits(engineLimits(t.kind === 'unix' ? t.socket : undefined));
      (body.HostConfig as Record<string, unknown>).Ulimits = this.ulimits;
    }
    const created = await this.call<{ Id: string }>(
      'POST',
      `/containers/create?name=${encodeURIComponent(name)}`,
      body,
    ).catch((e: RuntimeError) => {
      throw nameConflict(e) ? new RuntimeError(409, e.message) : e;
    });
    return created.Id;
  }

  startContainer(id: string): Promise<void> {
    return this.call('POST', `/containers/${id}/start`);
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo> {
    const i = await this.call<ContainerInspect>('GET', `/containers/${encodeURIComponent(idOrName)}/json`);
    return {
      id: i.Id,
      status: i.State.Status,
      running: i.State.Running,
      exitCode: i.State.ExitCode,
      oomKilled: i.State.OOMKilled,
      startedAt: i.State.StartedAt,
      finishedAt: i.State.FinishedAt,
      error: i.State.Error,
      labels: i.Config?.Labels ?? {},
    };
  }

  /** SIGTERM, then SIGKILL after `graceSeconds` (the engine's own stop). */
  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.call<void>(
      'POST',
      `/containers/${id}/stop?t=${Math.max(0, Math.floor(graceSeconds))}`,
      undefined,
      (graceSeconds + 30) * 1000,
    ).catch((e: RuntimeError) => {
      if (e.statusCode === 304 || e.statusCode === 404) return;
      throw e;
    });
  }

  removeContainer(id: string): Promise<void> {
    return this.call<void>('DELETE', `/containers/${id}?force=true&v=true`).catch((e: RuntimeError) => {
      if (e.statusCode === 404) return;
      throw e;
    });
  }

  /** A volume on a tmpfs of `sizeBytes`, mounted by the engine and shared by the containers that use it. */
  createTmpfsVolume(name: string, sizeBytes: number, labels: Record<string, string>): Promise<void> {
    return this.call<void>('POST', '/volumes/create', {
      Name: name,
      Driver: 'local',
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: `size=${sizeBytes},mode=1777` },
      Labels: labels,
    });
  }

  removeVolume(name: string): Promise<void> {
    return this.call<void>('DELETE', `/volumes/${encodeURIComponent(name)}?force=true`).catch((e: RuntimeError) => {
      if (e.statusCode === 404) return;
      throw e;
    });
  }

  async listVolumes(labelFilters: string[]): Promise<VolumeSummary[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: labelFilters }));
    type Listed = { Volumes: { Name: string; Labels: Record<string, string> | null }[] | null };
    const listed = await this.call<Listed>('GET', `/volumes?filters=${filters}`);
    return (listed.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }

  async listContainers(labelFilters: string[]): Promise<ContainerSummary[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: labelFilters }));
    const listed = await this.call<DockerContainerSummary[]>('GET', `/containers/json?all=true&filters=${filters}`);
    return listed.map((c) => ({ id: c.Id, labels: c.Labels ?? {}, state: c.State }));
  }

  private readonly engineCall = <T>(m: string, p: string, b?: unknown) => this.call<T>(m, p, b);

  exec(id: string, spec: StreamSpec, onOutput: StreamOutput): Promise<StreamSession> {
    return tracked(this.sessions, dockerExec(this.conn, this.engineCall, id, spec, onOutput));
  }
  attach(id: string, spec: StreamSpec, onOutput: StreamOutput): Promise<StreamSession> {
    return tracked(this.sessions, dockerAttach(this.conn, this.engineCall, id, spec, onOutput));
  }
  stats(id: string): Promise<ContainerUsage> {
    return dockerStats(this.engineCall, id);
  }

  /** The output as Docker's multiplexed stream (8-byte frame headers), with timestamps, until it stops. */
  async followLogs(id: string, onFrame: LogFrameHandler, tty = false): Promise<void> {
    const res = await this.raw('GET', `/containers/${id}/logs?stdout=1&stderr=1&timestamps=1&follow=1`, undefined, 0);
    if ((res.statusCode ?? 500) >= 400) {
      res.resume();
      throw new RuntimeError(res.statusCode ?? 500, `logs of ${id} unavailable`);
    }
    res.on('data', logFrames(tty, onFrame));
    await new Promise<void>((resolve) => {
      res.on('end', resolve);
      res.on('error', () => resolve());
      res.on('close', resolve);
    });
  }

  watchExits(
    label: string,
    onExit: (id: string, exitCode: number | undefined) => void,
    onEnd: (err?: Error) => void,
  ): Promise<() => void> {
    return this.events(
      // Podman 4 filters on its own name for the action, `died` (and reports it as `die`).
      { type: ['container'], event: ['die', 'died'], label: [label] },
      (e) => {
        if (!e.Actor?.ID) return;
        const code = Number(e.Actor.Attributes?.exitCode);
        onExit(e.Actor.ID, Number.isFinite(code) ? code : undefined);
      },
      onEnd,
    );
  }

  /**
   * Streams the engine's events that match `filters` to `onEvent`; resolves, once the engine has
   * answered (events from then on are delivered), with a function that ends the stream. `onEnd`
   * is called once, when the stream ends for any other reason.
   */
  private async events(
    filters: Record<string, string[]>,
    onEvent: (e: EngineEvent) => void,
    onEnd: (err?: Error) => void,
  ): Promise<() => void> {
    const res = await this.raw('GET', `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`, undefined, 0);
    if ((res.statusCode ?? 500) >= 400) {
      res.resume();
      throw new RuntimeError(res.statusCode ?? 500, `the engine refused its event stream (HTTP ${res.statusCode})`);
    }
    let buf = '';
    let ended = false;
    let closing = false;
    const end = (err?: Error) => {
      if (ended || closing) return;
      ended = true;
      onEnd(err);
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        let event: EngineEvent;
        try {
          event = JSON.parse(line) as EngineEvent;
        } catch {
          continue; // not an event: skip it
        }
        onEvent(event);
      }
    });
    res.on('end', () => end());
    res.on('error', (e) => end(e));
    res.on('close', () => end());
    return () => {
      closing = true;
      res.destroy();
    };
  }
}
