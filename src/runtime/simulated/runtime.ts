// A container runtime in memory: containers "run" a Program (program.ts) on timers, print its
// output, and exit with its code. It serves the fast test tier and the scale benchmark, so that
// the whole server, a Job's pods included, runs with no engine at all (JOBCTL_RUNTIME=simulated).
// It never proves that a feature works on containers: the end-to-end tests stay on the engine.
import { randomBytes } from 'node:crypto';
import {
  hostInfo,
  RuntimeError,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerSummary,
  type ContainerUsage,
  type EngineInfo,
  type LogFrameHandler,
  type StreamSession,
  type VolumeSummary,
} from '../cri.js';
import { programFor, type Program } from './program.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';
/** Exit codes of a stopped container: SIGTERM honoured at once. */
const SIGTERM_EXIT = 143;

interface SimContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** What it runs: read when it starts, then let go (100,000 exited containers keep only their labels). */
  spec?: ContainerSpec;
  status: 'created' | 'running' | 'exited';
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  /** Everything printed so far, as log frames. */
  frames: [stream: 'stdout' | 'stderr', frame: string][];
  /** While it runs: who follows its output, and its program's timers. */
  followers?: Set<{ onFrame: LogFrameHandler; done: () => void }>;
  timers?: NodeJS.Timeout[];
}

const matches = (labels: Record<string, string>, filters: string[]) =>
  filters.every((f) => {
    const eq = f.indexOf('=');
    return eq < 0 ? f in labels : labels[f.slice(0, eq)] === f.slice(eq + 1);
  });

export class SimulatedRuntime implements ContainerRuntime {
  readonly name = 'simulated';
  readonly endpoint = 'memory';
  readonly bindsHostPaths = false;
  private readonly containers = new Map<string, SimContainer>();
  private readonly byName = new Map<string, string>();
  private readonly volumes = new Map<string, VolumeSummary>();
  private readonly exitWatchers = new Set<{ label: string; onExit: (id: string, code: number | undefined) => void }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async ping(): Promise<void> {}

  /** This machine, as the engine would report it (the simulated runtime runs nothing on it). */
  async info(): Promise<EngineInfo> {
    return hostInfo('simulated', 'simulated://0.1.0');
  }

  async imageId(image: string): Promise<string | undefined> {
    return `sha256:${Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  }

  async pullImage(): Promise<void> {}

  async createContainer(name: string, spec: ContainerSpec): Promise<string> {
    if (this.byName.has(name)) throw new RuntimeError(409, `Conflict. The container name "/${name}" is already in use`);
    const id = randomBytes(32).toString('hex');
    this.containers.set(id, {
      id,
      name,
      labels: spec.labels,
      spec,
      status: 'created',
      exitCode: 0,
      startedAt: ZERO_TIME,
      finishedAt: ZERO_TIME,
      frames: [],
    });
    this.byName.set(name, id);
    return id;
  }

  private get(idOrName: string): SimContainer {
    const c = this.containers.get(idOrName) ?? this.containers.get(this.byName.get(idOrName) ?? '');
    if (!c) throw new RuntimeError(404, `No such container: ${idOrName}`);
    return c;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.get(id);
    if (c.status !== 'created' || !c.spec) throw new RuntimeError(304, 'container already started');
    const spec = c.spec;
    c.spec = undefined;
    c.status = 'running';
    c.startedAt = this.now().toISOString();
    const timers: NodeJS.Timeout[] = (c.timers = []);
    const env = new Map(
      spec.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
    );
    const program: Program = programFor(
      c.name,
      [...(spec.entrypoint ?? []), ...(spec.cmd ?? [])],
      env,
      spec.annotations,
    );
    for (const line of program.output) {
      timers.push(setTimeout(() => this.print(c, line.stream, line.text), line.atMs));
    }
    timers.push(setTimeout(() => this.exit(c, program.exitCode), program.durationMs));
  }

  private print(c: SimContainer, stream: 'stdout' | 'stderr', text: string): void {
    const frame = `${this.now().toISOString()} ${text}\n`;
    c.frames.push([stream, frame]);
    for (const f of c.followers ?? []) f.onFrame(stream, frame);
  }

  private exit(c: SimContainer, code: number): void {
    if (c.status !== 'running') return;
    for (const t of c.timers ?? []) clearTimeout(t);
    c.timers = undefined;
    c.status = 'exited';
    c.exitCode = code;
    c.finishedAt = this.now().toISOString();
    for (const f of c.followers ?? []) f.done();
    c.followers = undefined; // an exited container keeps only what inspect and list report
    for (const w of this.exitWatchers) if (matches(c.labels, [w.label])) w.onExit(c.id, code);
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo> {
    const c = this.get(idOrName);
    return {
      id: c.id,
      status: c.status,
      running: c.status === 'running',
      exitCode: c.exitCode,
      oomKilled: false,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      error: '',
      labels: c.labels,
    };
  }

  async stopContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (c?.status === 'running') this.exit(c, SIGTERM_EXIT);
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.status === 'running') this.exit(c, 137);
    this.containers.delete(id);
    this.byName.delete(c.name);
  }

  async listContainers(labelFilters: string[]): Promise<ContainerSummary[]> {
    return [...this.containers.values()]
      .filter((c) => matches(c.labels, labelFilters))
      .map((c) => ({ id: c.id, labels: c.labels, state: c.status }));
  }

  followLogs(id: string, onFrame: LogFrameHandler): Promise<void> {
    const c = this.get(id);
    for (const [stream, frame] of c.frames) onFrame(stream, frame);
    if (c.status === 'exited') return Promise.resolve();
    return new Promise((resolve) => (c.followers ??= new Set()).add({ onFrame, done: resolve }));
  }

  /** No process runs here to measure: metrics come from the container engines. */
  async stats(): Promise<ContainerUsage> {
    throw new RuntimeError(501, 'the simulated runtime runs no processes: no usage to report');
  }

  /** No process runs here to exec into or attach to: those are the container engines'. */
  async exec(): Promise<StreamSession> {
    throw new RuntimeError(501, 'the simulated runtime runs no processes: exec needs a container engine');
  }

  async attach(): Promise<StreamSession> {
    throw new RuntimeError(501, 'the simulated runtime runs no processes: attach needs a container engine');
  }

  async watchExits(label: string, onExit: (id: string, code: number | undefined) => void): Promise<() => void> {
    const w = { label, onExit };
    this.exitWatchers.add(w);
    return () => void this.exitWatchers.delete(w);
  }

  async createTmpfsVolume(name: string, _sizeBytes: number, labels: Record<string, string>): Promise<void> {
    this.volumes.set(name, { name, labels });
  }

  async removeVolume(name: string): Promise<void> {
    this.volumes.delete(name);
  }

  async listVolumes(labelFilters: string[]): Promise<VolumeSummary[]> {
    return [...this.volumes.values()].filter((v) => matches(v.labels, labelFilters));
  }

  /** Containers keep "running" (a restarted server in the same process would adopt them). */
  close(): void {}
}
