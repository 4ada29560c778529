// The container-runtime interface between the kubelet and an engine, in the spirit of Kubernetes'
// CRI: what the kubelet asks of any runtime, in runtime-neutral terms. Two implementations: the
// Docker Engine API (runtime/docker/) and a simulated runtime in memory (runtime/simulated/) for
// the fast test tier and the scale benchmark.
import { statfsSync } from 'node:fs';
import { cpus, machine, release, totalmem } from 'node:os';

/** What a container runs and with what: the runtime maps it onto its own create call. */
export interface ContainerSpec {
  image: string;
  /** Kubernetes' `command` (replaces the image's entrypoint) and `args`, already expanded. */
  entrypoint?: string[];
  cmd?: string[];
  /** `KEY=value` */
  env: string[];
  workingDir?: string;
  /** `uid[:gid]` */
  user?: string;
  /** Omitted when the container joins another's network namespace. */
  hostname?: string;
  labels: Record<string, string>;
  /** The pod's annotations (CRI passes them to the runtime; the simulated runtime reads its own). */
  annotations: Record<string, string>;
  /** Kubernetes' stdin, stdinOnce and tty: a stdin attach can write to, a terminal. */
  terminal?: { stdin: boolean; stdinOnce: boolean; tty: boolean };
  network: { mode: 'none' } | { mode: 'host' } | { mode: 'container'; id: string };
  /** `source:target[:ro]`; a source without a leading slash names a runtime volume. */
  mounts: string[];
  resources: { memoryBytes?: number; nanoCpus?: number; cpuShares?: number };
  security: {
    privileged?: boolean;
    readOnlyRootfs?: boolean;
    capAdd?: string[];
    capDrop?: string[];
    groupAdd?: string[];
  };
}

export interface ContainerInfo {
  id: string;
  /** `created`, `running`, `exited`, `dead`, ... */
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  /** RFC 3339; the zero time (`0001-...`) when never started or finished. */
  startedAt: string;
  finishedAt: string;
  error: string;
  labels: Record<string, string>;
}

export interface ContainerSummary {
  id: string;
  labels: Record<string, string>;
  state: string;
}

export interface VolumeSummary {
  name: string;
  labels: Record<string, string>;
}

/**
 * A runtime's failure. `statusCode` 0 means the runtime cannot be reached (the only failure the
 * kubelet retries without end); otherwise it says what went wrong as HTTP does: 404 no such
 * container, 409 a conflict (a name taken), 304 nothing to do, others the runtime's own.
 */
export class RuntimeError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }

  get unreachable(): boolean {
    return this.statusCode === 0;
  }
}

export const isRuntimeError = (e: unknown, statusCode?: number): e is RuntimeError =>
  e instanceof RuntimeError && (statusCode === undefined || e.statusCode === statusCode);

/**
 * One chunk of a container's output: its stream and `<RFC3339Nano timestamp> <text>`, where the
 * text may be part of a line (the runtime splits long lines).
 */
export type LogFrameHandler = (stream: 'stdout' | 'stderr', frame: string) => void;

/** What the engine reports of the machine it runs containers on: the node's capacity and facts. */
export interface EngineInfo {
  cpus: number;
  memoryBytes: number;
  /** `linux`; `amd64`, `arm64` (Go's names, as node labels carry them). */
  operatingSystem: string;
  architecture: string;
  kernelVersion: string;
  osImage: string;
  /** `docker://24.0.5`, as a node reports its container runtime. */
  runtimeVersion: string;
  /** The size of the filesystem that holds the engine's containers (the node's ephemeral storage), when known. */
  storageBytes?: number;
  /** Why the engine cannot enforce cpu and memory limits (a rootless engine on cgroup v1), if it cannot. */
  limitsIgnored?: string;
}

/** The size of the filesystem at `path` (the first of them that exists), or undefined. */
export function filesystemBytes(...paths: string[]): number | undefined {
  for (const p of paths) {
    try {
      const s = statfsSync(p);
      return s.blocks * s.bsize;
    } catch {
      /* not here: the next */
    }
  }
  return undefined;
}

/** This machine as its operating system reports it: for an engine that has not said, or runs nothing. */
export function hostInfo(osImage: string, runtimeVersion: string): EngineInfo {
  return {
    cpus: cpus().length,
    memoryBytes: totalmem(),
    operatingSystem: 'linux',
    architecture: goArch(machine()),
    kernelVersion: release(),
    osImage,
    runtimeVersion,
    storageBytes: filesystemBytes('/'),
  };
}

/** `uname -m` as Go (and a node's `kubernetes.io/arch` label) names it. */
export function goArch(machine: string): string {
  const names: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', i686: '386' };
  return names[machine] ?? machine;
}

/** A process started in a running container (exec), or a connection to its main process (attach). */
export interface StreamSpec {
  /** exec only: the command to run. */
  cmd?: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** A terminal: output comes on stdout alone. */
  tty: boolean;
}

export interface StreamSession {
  /** To the process's stdin (when asked for). */
  write(data: Buffer): void;
  /** Ends its stdin. */
  endInput(): void;
  /** A terminal's new size. */
  resize(width: number, height: number): Promise<void>;
  /** Ends the connection early (the client went away). */
  close(): void;
  /**
   * Resolves once the output has all been handed to `onOutput` and the process has ended: its exit
   * code (exec), or none (attach, which ends when the connection does).
   */
  done: Promise<{ exitCode?: number }>;
}

/** A running container's use of the machine, as the kubelet's summary reports it to metrics. */
export interface ContainerUsage {
  /** CPU in nanocores over the sampled window. */
  cpuNanoCores: number;
  /** Memory in use less what the kernel may reclaim at once (cAdvisor's working set). */
  memoryWorkingSetBytes: number;
  /** When the sample was read (RFC 3339) and the window it covers (ms). */
  timestamp: string;
  windowMs: number;
}

export type StreamOutput = (stream: 'stdout' | 'stderr', data: Buffer) => void;

export interface ContainerRuntime {
  /** `docker`, `simulated`: for logs and `version`. */
  readonly name: string;
  /** Where it is reached (a socket path, `memory`). */
  readonly endpoint: string;
  /**
   * Whether its containers see host paths bind-mounted (`mounts`). Docker's do; the simulated
   * runtime's run no process, so the kubelet makes no host files (termination messages) for them.
   */
  readonly bindsHostPaths: boolean;
  /**
   * Where the engine is when it is on another host (`ssh://build (DOCKER_HOST)`): files jobctl
   * writes here (volumes, termination messages) cannot reach its containers.
   */
  readonly remote?: string;
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;
  /** The image's id, or undefined when the runtime does not have it. */
  imageId(image: string): Promise<string | undefined>;
  pullImage(image: string): Promise<void>;
  createContainer(name: string, spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** By id or by name. */
  inspectContainer(idOrName: string): Promise<ContainerInfo>;
  /** SIGTERM, then SIGKILL after `graceSeconds`; resolves when it has stopped. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(labelFilters: string[]): Promise<ContainerSummary[]>;
  /**
   * Follows the container's output from its start until it stops; resolves when it ends. `tty`:
   * the container has a terminal, whose output is one stream.
   */
  followLogs(id: string, onFrame: LogFrameHandler, tty?: boolean): Promise<void>;
  /**
   * Reports each stop of a container carrying `label` (`key=value`) with its exit code; resolves
   * once the stream is open with a function that closes it. `onEnd` is called if it drops.
   */
  watchExits(
    label: string,
    onExit: (id: string, exitCode: number | undefined) => void,
    onEnd: (err?: Error) => void,
  ): Promise<() => void>;
  /** A running container's CPU and memory use, sampled now (about a second for Docker). */
  stats(id: string): Promise<ContainerUsage>;
  /** Runs a command in a running container, as `docker exec` does. */
  exec(id: string, spec: StreamSpec, onOutput: StreamOutput): Promise<StreamSession>;
  /** Connects to a running container's main process, as `docker attach` does. */
  attach(id: string, spec: StreamSpec, onOutput: StreamOutput): Promise<StreamSession>;
  /** A volume on a tmpfs of `sizeBytes`, shared by the containers that mount it. */
  createTmpfsVolume(name: string, sizeBytes: number, labels: Record<string, string>): Promise<void>;
  removeVolume(name: string): Promise<void>;
  listVolumes(labelFilters: string[]): Promise<VolumeSummary[]>;
  /** Ends every request in flight; containers keep running. */
  close(): void;
}

/** The calls that change what the engine runs or holds. */
const ENGINE_WRITES = new Set<string>([
  'pullImage',
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
  'createTmpfsVolume',
  'removeVolume',
]);

/**
 * The runtime with `first` called before each call that changes the engine: the server commits
 * its pending writes there, so the engine never acts on a decision a crash could take back.
 */
export function beforeEngineWrites(runtime: ContainerRuntime, first: () => void): ContainerRuntime {
  return new Proxy(runtime, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !ENGINE_WRITES.has(prop) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        first();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The zero time a runtime reports for a container never started or finished. */
export const isZeroTime = (t: string): boolean => !t || t.startsWith('0001-');
