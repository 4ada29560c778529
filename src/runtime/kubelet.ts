// The "kubelet": runs each pod's containers on the Docker engine, reports their states, restarts
// them for restartPolicy OnFailure with crash-loop back-off, enforces pod deadlines, stops pods
// with their grace period, and captures every run's output to files.
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import {
  goDuration,
  toRfc3339,
  type Condition,
  type Container,
  type ContainerState,
  type ContainerStatus,
  type Pod,
  type PodStatus,
} from '../api/index.js';
import { containerSpec, dockerContainerName, podHostname } from './container-config.js';
import {
  ConfigRefError,
  containerBinds,
  diskUsageBytes,
  engineVolumeName,
  MountError,
  prepareVolumes,
  removePodDirs,
  sizedDiskEmptyDirs,
  resolveEnv,
  terminationMessageFile,
  terminationMessageHostPath,
  type ObjectSource,
  type VolumeMountSource,
} from './pod-resources.js';
import type { RuntimeError } from './cri.js';
import { isZeroTime, type ContainerInfo, type ContainerRuntime, type ContainerSpec } from './cri.js';
import { ExitWatcher } from './exits.js';
import {
  LABEL_CONTAINER_NAME,
  LABEL_INSTANCE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
} from './labels.js';
import { containerLogFile, ensureContainerLogDir, pruneOldRuns, removePodLogs } from './log-files.js';

/** Kubernetes' kubelet defaults, as multiples of the configurable base (10 s by default). */
export const CRASH_LOOP_CAP_FACTOR = 30; // 300 s
export const IMAGE_PULL_CAP_FACTOR = 30; // 300 s
/** The kubelet's limits for termination messages. */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;
export const TERMINATION_MESSAGE_FALLBACK_BYTES = 2048;
export const FALLBACK_LOG_LINES = 80;
/** Longest captured log line; longer ones are split (the engine itself splits at 16 KiB). */
export const MAX_LOG_LINE_BYTES = 64 * 1024;
/** How long a local image's presence is trusted without asking the engine again (IfNotPresent, Never). */
export const IMAGE_CACHE_MS = 10_000;
/** After an unexplained kill, how long to wait before asking whether the container still exists. */
export const VANISH_CHECK_MS = 300;
/**
 * The longest an exit waits for its run's output to be captured (the engine ends a followed log
 * stream when the container stops; this bounds a stream that never ends).
 */
export const LOG_DRAIN_MAX_MS = 5_000;
/** How long a stopping server waits for the engine to answer the creates under way. */
export const SHUTDOWN_CREATE_WAIT_MS = 10_000;

export interface PodHost extends ObjectSource {
  /** Writes the pod's status if that pod (same uid) still exists; false if it is gone. */
  setPodStatus(pod: Pod, status: PodStatus): boolean;
  recordEvent(
    pod: Pod,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: 'kubelet' | 'default-scheduler',
    fieldPath?: string,
  ): void;
  /** Runs `fn`'s writes (statuses, events) as one: one commit, not one per write. */
  together(fn: () => void): void;
  /** The pod is being deleted and its containers are gone: finish the deletion. */
  podTerminated(pod: Pod): void;
  /** Containers jobctl created, so that it never touches one it did not (whatever its labels). */
  recordContainer(id: string, podUid: string): void;
  forgetContainer(id: string): void;
  knownContainers(podUid?: string): Set<string>;
}

export interface KubeletConfig {
  instanceId: string;
  logRoot: string;
  /** Per-pod state on the host: volumes, termination-message files. */
  podRoot: string;
  /** Image for the sandbox that holds a multi-container pod's network namespace. */
  sandboxImage?: string;
  nodeName: string;
  backoffBaseMs: number;
  /** How often the eviction manager measures sized emptyDirs (the kubelet's 10 s). */
  evictionIntervalMs: number;
  now?: () => Date;
  log?: (msg: string) => void;
}

interface Backoff {
  delayMs: number;
  lastUpdate: number;
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  readonly now: () => Date;
  readonly exits: ExitWatcher;

  constructor(
    readonly runtime: ContainerRuntime,
    readonly host: PodHost,
    readonly config: KubeletConfig,
  ) {
    this.now = config.now ?? (() => new Date());
    this.exits = new ExitWatcher(runtime, {
      instanceId: config.instanceId,
      retryMs: config.backoffBaseMs,
      log: config.log,
    });
  }

  private readonly images = new Map<string, { id: string; atMs: number }>();
  private readonly creating = new Set<Promise<unknown>>();
  private stopping = false;

  /**
   * Creates a container and records it as jobctl's. The engine finishes a create once asked,
   * whatever happens here: a stopping server waits for these, so that none is left unrecorded.
   */
  createContainer(name: string, spec: ContainerSpec, podUid: string): Promise<string> {
    const created = this.runtime.createContainer(name, spec).then((id) => {
      this.host.recordContainer(id, podUid);
      return id;
    });
    this.creating.add(created);
    const forget = () => void this.creating.delete(created);
    created.then(forget, forget);
    return created;
  }

  /** The local image's id; answers from a short-lived cache, so a burst of pods asks the engine once. */
  async localImageId(image: string, fresh = false): Promise<string | undefined> {
    const hit = this.images.get(image);
    if (!fresh && hit && Date.now() - hit.atMs < IMAGE_CACHE_MS) return hit.id;
    const id = await this.runtime.imageId(image);
    if (id) this.images.set(image, { id, atMs: Date.now() });
    else this.images.delete(image);
    return id;
  }

  /** Called for every change of a pod object. */
  podChanged(pod: Pod, deleted: boolean): void {
    if (this.stopping) return; // the next server takes over from the store
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(uid);
    if (deleted) {
      w?.detach();
      this.workers.delete(uid);
      removePodLogs(this.config.logRoot, pod.metadata.namespace ?? '', pod.metadata.name ?? '', uid);
      removePodDirs(this.config.podRoot, pod);
      void this.removeContainersOf(uid).then(() => this.removeVolumesOf(pod));
      return;
    }
    if (!w) {
      if (isTerminal(pod) && !pod.metadata.deletionTimestamp) return; // finished before we met it
      w = new PodWorker(this, pod);
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  /** Start-up reconciliation: adopt our containers of known pods, remove the rest. */
  async adopt(pods: Pod[]): Promise<void> {
    const mine = this.host.knownContainers();
    const containers = (await this.runtime.listContainers([`${LABEL_INSTANCE}=${this.config.instanceId}`])).filter(
      (c) => mine.has(c.id),
    );
    const known = new Set(pods.map((p) => p.metadata.uid));
    for (const c of containers) {
      if (!known.has(c.labels[LABEL_POD_UID])) await this.removeContainer(c.id);
    }
    // The tmpfs volumes of pods removed while no server ran (their containers went just above).
    for (const v of await this.runtime.listVolumes([`${LABEL_INSTANCE}=${this.config.instanceId}`])) {
      if (!known.has(v.labels[LABEL_POD_UID])) await this.runtime.removeVolume(v.name);
    }
    for (const pod of pods) {
      if (isTerminal(pod) && !pod.metadata.deletionTimestamp) continue;
      const mine = containers.filter((c) => c.labels[LABEL_POD_UID] === pod.metadata.uid);
      const w = new PodWorker(this, pod);
      this.workers.set(pod.metadata.uid ?? '', w);
      w.adopt(
        mine.map((c) => ({
          id: c.id,
          name: c.labels[LABEL_CONTAINER_NAME],
          restart: Number(c.labels[LABEL_RESTART_COUNT] ?? 0),
        })),
      );
    }
  }

  async removeContainer(id: string): Promise<void> {
    await this.runtime.removeContainer(id);
    this.host.forgetContainer(id);
  }

  /** The engine volumes of a removed pod, once its containers are gone. */
  private async removeVolumesOf(pod: Pod): Promise<void> {
    for (const v of pod.spec.volumes ?? []) {
      const ed = v.emptyDir as { medium?: string; sizeLimit?: unknown } | undefined;
      if (ed?.medium !== 'Memory' || ed.sizeLimit === undefined) continue;
      await this.runtime
        .removeVolume(engineVolumeName(pod, v.name))
        .catch((e: Error) => this.config.log?.(`removing volume of pod ${pod.metadata.uid}: ${e.message}`));
    }
  }

  async removeContainersOf(uid: string): Promise<void> {
    try {
      const mine = this.host.knownContainers(uid);
      const list = await this.runtime.listContainers([
        `${LABEL_INSTANCE}=${this.config.instanceId}`,
        `${LABEL_POD_UID}=${uid}`,
      ]);
      await Promise.all(list.filter((c) => mine.has(c.id)).map((c) => this.removeContainer(c.id)));
    } catch {
      /* the engine is away; start-up reconciliation removes them later */
    }
  }

  /**
   * Stops timers and detaches from containers (server shutdown: containers keep running, and a
   * created one not yet started is started by the next server). Resolves once the creates under
   * way are answered and recorded (at most SHUTDOWN_CREATE_WAIT_MS).
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const w of this.workers.values()) w.detach();
    this.workers.clear();
    this.exits.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.creating]),
      new Promise((r) => (timer = setTimeout(r, SHUTDOWN_CREATE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    this.runtime.close();
  }

  /** Pods whose containers jobctl still runs or will run. */
  activePods(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.busy) n++;
    return n;
  }
}

/**
 * Container start and finish times keep milliseconds (RFC 3339 allows fractions; clients parse
 * them): the re-creation back-off is measured from them, and whole seconds would blur it.
 */
const engineTime = (t: string): string => new Date(t).toISOString();

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

type Stage = 'new' | 'init' | 'apps' | 'done';

interface Current {
  id: string;
  name: string;
  restart: number;
  init: boolean;
}

class PodWorker {
  private pod: Pod;
  private status: PodStatus;
  private stage: Stage = 'new';
  private initIndex = 0;
  private readonly running = new Map<string, Current>();
  /** Output capture of each followed container, by id, until it has drained. */
  private readonly captures = new Map<string, Promise<void>>();
  private engineVolumesReady = false;
  private emptyDirWatch = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly backoffs = new Map<string, Backoff>();
  private readonly pullBackoffs = new Map<string, Backoff>();
  private chain: Promise<void> = Promise.resolve();
  private terminating = false;
  private detached = false;
  private volumes?: Map<string, VolumeMountSource>;
  private sandboxId?: string;
  private readonly held: ['Normal' | 'Warning', string, string, string | undefined][] = [];

  constructor(
    private readonly k: Kubelet,
    pod: Pod,
  ) {
    this.pod = pod;
    this.status = structuredClone(pod.status ?? {});
  }

  get busy(): boolean {
    return this.stage !== 'done' && !this.detached;
  }

  private get spec() {
    return this.pod.spec;
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.detached) return;
      try {
        await fn();
      } catch (e) {
        this.engineTrouble(e as Error);
      }
      this.flushHeld();
    });
  }

  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) {
      this.terminating = true;
      this.enqueue(() => this.terminate());
      return;
    }
    if (this.stage === 'new' && !isTerminal(pod)) {
      this.stage = 'init';
      this.enqueue(() => this.start());
    }
  }

  detach(): void {
    this.detached = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private after(ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        this.enqueue(fn);
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
  }

  private now(): Date {
    return this.k.now();
  }

  private write(): void {
    if (this.detached) return;
    this.flushHeld();
    if (!this.k.host.setPodStatus(this.pod, this.status)) this.detach();
  }

  /**
   * Records an event. A held one waits for the pod's next write or event (at the latest the end
   * of the current step) and goes in the same commit: `Pulled` with `Created` and `Started`.
   */
  private event(
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    c?: Container,
    init = false,
    hold = false,
  ): void {
    const fieldPath = c ? `spec.${init ? 'initContainers' : 'containers'}{${c.name}}` : undefined;
    if (hold) {
      this.held.push([type, reason, message, fieldPath]);
      return;
    }
    this.flushHeld();
    this.k.host.recordEvent(this.pod, type, reason, message, 'kubelet', fieldPath);
  }

  private flushHeld(): void {
    if (this.detached) this.held.length = 0;
    for (const [type, reason, message, fieldPath] of this.held.splice(0))
      this.k.host.recordEvent(this.pod, type, reason, message, 'kubelet', fieldPath);
  }

  /** `docker://ID`: the runtime's name and the container's id, as the kubelet writes it. */
  private containerId(id: string): string {
    return `${this.k.runtime.name}://${id}`;
  }

  private podRef(): string {
    const m = this.pod.metadata;
    return `${m.name}_${m.namespace}(${m.uid})`;
  }

  // ---- statuses ----

  private statusesFor(init: boolean): ContainerStatus[] {
    const key = init ? 'initContainerStatuses' : 'containerStatuses';
    const list = (init ? this.spec.initContainers : this.spec.containers) ?? [];
    const existing = this.status[key] ?? [];
    this.status[key] = list.map(
      (c) =>
        existing.find((s) => s.name === c.name) ?? {
          name: c.name,
          state: { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } },
          lastState: {},
          ready: false,
          restartCount: 0,
          image: c.image ?? '',
          imageID: '',
          started: false,
        },
    );
    return this.status[key]!;
  }

  private cs(name: string, init: boolean): ContainerStatus {
    return this.statusesFor(init).find((s) => s.name === name)!;
  }

  private setCondition(type: string, status: 'True' | 'False', reason?: string, message?: string): void {
    const conds = (this.status.conditions ??= []);
    const now = toRfc3339(this.now());
    const c = conds.find((x) => x.type === type);
    if (c) {
      if (c.status !== status) c.lastTransitionTime = now;
      c.status = status;
      if (reason) c.reason = reason;
      else delete c.reason;
      if (message) c.message = message;
      else delete c.message;
    } else {
      const cond: Condition = { type, status, lastProbeTime: null, lastTransitionTime: now };
      if (reason) cond.reason = reason;
      if (message) cond.message = message;
      conds.push(cond);
    }
  }

  private refreshReadiness(): void {
    const apps = this.statusesFor(false);
    const terminal = this.status.phase === 'Succeeded' || this.status.phase === 'Failed';
    const allRunning = apps.length > 0 && apps.every((s) => s.state.running);
    for (const s of apps) s.ready = Boolean(s.state.running) && !terminal;
    const reason = terminal ? 'PodCompleted' : allRunning ? undefined : 'ContainersNotReady';
    this.setCondition('Ready', allRunning && !terminal ? 'True' : 'False', reason);
    this.setCondition('ContainersReady', allRunning && !terminal ? 'True' : 'False', reason);
  }

  // ---- lifecycle ----

  private async start(): Promise<void> {
    const now = toRfc3339(this.now());
    this.status.phase = 'Pending';
    this.status.startTime ??= now;
    this.status.hostIP = '127.0.0.1';
    this.status.podIP = '127.0.0.1';
    this.setCondition('PodReadyToStartContainers', 'True');
    this.setCondition(
      'Initialized',
      (this.spec.initContainers ?? []).length ? 'False' : 'True',
      (this.spec.initContainers ?? []).length ? 'ContainersNotInitialized' : undefined,
    );
    this.statusesFor(true);
    this.statusesFor(false);
    this.refreshReadiness();
    this.setCondition('PodScheduled', 'True');
    this.k.host.together(() => {
      this.write();
      this.k.host.recordEvent(
        this.pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${this.pod.metadata.namespace}/${this.pod.metadata.name} to ${this.k.config.nodeName}`,
        'default-scheduler',
      );
    });
    this.armDeadline();
    await this.setUp();
  }

  /** Volumes and the network sandbox, then the containers; retried while a volume's source is missing. */
  private async setUp(): Promise<void> {
    if (this.terminating || this.stage === 'done') return;
    try {
      this.volumes ??= prepareVolumes(this.pod, this.k.config.podRoot, this.k.host);
    } catch (e) {
      if (!(e instanceof MountError)) throw e;
      const v = /volume "([^"]+)"/.exec(e.message)?.[1];
      this.k.host.recordEvent(
        this.pod,
        'Warning',
        'FailedMount',
        `MountVolume.SetUp failed${v ? ` for volume "${v}"` : ''} : ${e.message}`,
        'kubelet',
      );
      this.after(this.k.config.backoffBaseMs, () => this.setUp());
      return;
    }
    this.watchEmptyDirs();
    await this.ensureEngineVolumes();
    await this.ensureSandbox();
    await this.advance();
  }

  /** The engine's tmpfs volumes of the pod's sized memory-backed emptyDirs (created once; idempotent). */
  private async ensureEngineVolumes(): Promise<void> {
    if (this.engineVolumesReady || !this.volumes) return;
    const m = this.pod.metadata;
    for (const v of this.volumes.values()) {
      if (v.engineTmpfsBytes === undefined) continue;
      const labels = {
        [LABEL_INSTANCE]: this.k.config.instanceId,
        [LABEL_POD_UID]: m.uid ?? '',
        [LABEL_POD_NAMESPACE]: m.namespace ?? '',
        [LABEL_POD_NAME]: m.name ?? '',
      };
      await this.k.runtime.createTmpfsVolume(v.hostPath, v.engineTmpfsBytes, labels);
    }
    this.engineVolumesReady = true;
  }

  /**
   * The kubelet's eviction manager, for this pod's disk-backed emptyDirs with a sizeLimit: every
   * housekeeping interval their use is measured, and one past its limit evicts the pod.
   */
  private watchEmptyDirs(): void {
    if (this.emptyDirWatch || !this.volumes) return;
    const sized = sizedDiskEmptyDirs(this.pod, this.volumes);
    if (!sized.length) return;
    this.emptyDirWatch = true;
    const check = async () => {
      if (this.stage === 'done' || this.terminating) return;
      for (const v of sized) {
        if ((await diskUsageBytes(v.hostPath)) > v.limitBytes)
          return this.evict(`Usage of EmptyDir volume "${v.name}" exceeds the limit "${v.limit}". `);
      }
      this.after(this.k.config.evictionIntervalMs, check);
    };
    this.after(this.k.config.evictionIntervalMs, check);
  }

  private sharesNetwork(): boolean {
    return !this.spec.hostNetwork && (this.spec.initContainers ?? []).length + this.spec.containers.length > 1;
  }

  /**
   * Several containers share one network namespace (localhost), held by a sandbox container. The
   * sandbox also holds the pod's engine tmpfs volumes mounted for the pod's life: the engine
   * unmounts such a volume, and loses its files, when no running container uses it.
   */
  private async ensureSandbox(): Promise<void> {
    if (this.sandboxId) return;
    const volumes = [...(this.volumes?.entries() ?? [])].filter(([, v]) => v.engineTmpfsBytes !== undefined);
    if (!this.sharesNetwork() && !volumes.length) return;
    const m = this.pod.metadata;
    const name = `k8s_POD_${m.name}_${m.namespace}_${m.uid}_0`;
    const candidates = [
      this.k.config.sandboxImage,
      'registry.k8s.io/pause:3.10',
      'busybox:1.35',
      this.spec.containers[0].image,
    ].filter((x): x is string => Boolean(x));
    let image: string | undefined;
    for (const c of candidates)
      if (await this.k.localImageId(c)) {
        image = c;
        break;
      }
    if (!image) throw new Error('no image for the pod sandbox is present (set JOBCTL_SANDBOX_IMAGE)');
    const pause = image.includes('/pause:');
    const spec: ContainerSpec = {
      image,
      ...(pause ? {} : { entrypoint: ['sleep', '2147483647'], cmd: [] }),
      env: [],
      hostname: podHostname(this.pod),
      labels: {
        [LABEL_INSTANCE]: this.k.config.instanceId,
        [LABEL_POD_NAMESPACE]: m.namespace ?? '',
        [LABEL_POD_NAME]: m.name ?? '',
        [LABEL_POD_UID]: m.uid ?? '',
        [LABEL_CONTAINER_NAME]: 'POD',
        [LABEL_RESTART_COUNT]: '0',
      },
      annotations: { ...m.annotations },
      network: { mode: 'none' },
      mounts: volumes.map(([name, v]) => `${v.hostPath}:/jobctl-volumes/${name}`),
      resources: {},
      security: {},
    };
    let id: string;
    try {
      id = await this.k.createContainer(name, spec, m.uid ?? '');
    } catch (e) {
      if ((e as RuntimeError).statusCode !== 409) throw e;
      id = (await this.takeOver(name)).id;
      this.k.host.recordContainer(id, m.uid ?? '');
    }
    if (this.detached) return;
    await this.k.runtime.startContainer(id).catch((e: RuntimeError) => {
      if (e.statusCode !== 304) throw e;
    });
    this.sandboxId = id;
  }

  private armDeadline(): void {
    const ads = this.spec.activeDeadlineSeconds;
    if (ads === undefined || !this.status.startTime) return;
    const remaining = Date.parse(this.status.startTime) + ads * 1000 - this.now().getTime();
    this.after(remaining, () => this.deadlineExceeded());
  }

  /** Starts whatever comes next: the next init container, or all app containers. */
  private async advance(): Promise<void> {
    const inits = this.spec.initContainers ?? [];
    if (this.stage === 'init') {
      if (this.initIndex < inits.length) {
        await this.launch(inits[this.initIndex], true);
        return;
      }
      this.stage = 'apps';
      if (inits.length) this.setCondition('Initialized', 'True');
    }
    if (this.stage === 'apps') {
      for (const c of this.spec.containers) {
        const s = this.cs(c.name, false);
        if (!s.state.terminated && !this.running.has(c.name) && !s.state.running) await this.launch(c, false);
      }
    }
  }

  /** A back-off not updated for twice its cap starts over (the kubelet's 10-minute reset). */
  private isStale(b: Backoff, capFactor: number): boolean {
    return this.now().getTime() - b.lastUpdate > 2 * this.k.config.backoffBaseMs * capFactor;
  }

  private nextBackoff(map: Map<string, Backoff>, key: string, capFactor: number): number {
    const base = this.k.config.backoffBaseMs;
    const cap = base * capFactor;
    const now = this.now().getTime();
    const b = map.get(key);
    let delay = base;
    if (b && !this.isStale(b, capFactor)) delay = Math.min(b.delayMs * 2, cap);
    map.set(key, { delayMs: delay, lastUpdate: now });
    return delay;
  }

  /** Makes sure the image is there per imagePullPolicy; false when the pod must wait (back-off armed). */
  private async ensureImage(c: Container, init: boolean): Promise<boolean> {
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    const localId = await this.k.localImageId(image, policy === 'Always');
    const present = localId !== undefined;
    if (localId) this.cs(c.name, init).imageID = localId;
    if (policy === 'Never') {
      if (present) return true;
      this.waiting(c, init, 'ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
      this.event(
        'Warning',
        'ErrImageNeverPull',
        `Container image "${image}" is not present with pull policy of Never`,
        c,
        init,
      );
      this.write();
      return false;
    }
    if (policy === 'IfNotPresent' && present) {
      this.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, c, init, true);
      return true;
    }
    this.event('Normal', 'Pulling', `Pulling image "${image}"`, c, init);
    const started = Date.now();
    try {
      await this.k.runtime.pullImage(image);
      this.cs(c.name, init).imageID = (await this.k.localImageId(image, true)) ?? '';
      const took = goDuration(Date.now() - started);
      this.event(
        'Normal',
        'Pulled',
        `Successfully pulled image "${image}" in ${took} (${took} including waiting)`,
        c,
        init,
      );
      this.pullBackoffs.delete(c.name);
      return true;
    } catch (e) {
      const why = (e as Error).message;
      if (present) {
        this.event(
          'Warning',
          'Failed',
          `Failed to pull image "${image}": ${why}; using the image already present on this machine`,
          c,
          init,
        );
        return true;
      }
      this.event('Warning', 'Failed', `Failed to pull image "${image}": ${why}`, c, init);
      this.event('Warning', 'Failed', 'Error: ErrImagePull', c, init);
      this.waiting(c, init, 'ErrImagePull', `failed to pull image "${image}": ${why}`);
      this.write();
      const delay = this.nextBackoff(this.pullBackoffs, c.name, IMAGE_PULL_CAP_FACTOR);
      // Show ErrImagePull briefly, then ImagePullBackOff until the next attempt.
      this.after(Math.min(1000, delay / 2), async () => {
        if (this.cs(c.name, init).state.waiting?.reason !== 'ErrImagePull') return;
        this.waiting(c, init, 'ImagePullBackOff', `Back-off pulling image "${image}"`);
        this.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, c, init);
        this.event('Warning', 'Failed', 'Error: ImagePullBackOff', c, init);
        this.write();
      });
      this.after(delay, () => this.launch(c, init));
      return false;
    }
  }

  private waiting(c: Container, init: boolean, reason: string, message?: string): void {
    const s = this.cs(c.name, init);
    s.state = { waiting: message ? { reason, message } : { reason } };
    s.ready = false;
    this.refreshReadiness();
  }

  private async launch(c: Container, init: boolean): Promise<void> {
    if (this.terminating || this.stage === 'done') return;
    if (!(await this.ensureImage(c, init))) return;
    const s = this.cs(c.name, init);
    const restart = s.restartCount;
    const m = this.pod.metadata;
    let env: Map<string, string>;
    try {
      env = resolveEnv(this.pod, c, this.k.host);
    } catch (e) {
      if (!(e instanceof ConfigRefError)) throw e;
      // As on a cluster: the container waits until the reference exists.
      this.waiting(c, init, 'CreateContainerConfigError', e.message);
      this.event('Warning', 'Failed', `Error: ${e.message}`, c, init);
      this.write();
      this.after(this.k.config.backoffBaseMs, () => this.launch(c, init));
      return;
    }
    await this.ensureEngineVolumes();
    const termFile = terminationMessageFile(this.k.config.podRoot, this.pod, c.name, restart);
    const mounts = [
      ...containerBinds(c, this.volumes ?? new Map()),
      `${termFile}:${c.terminationMessagePath ?? '/dev/termination-log'}`,
    ];
    const spec = containerSpec(this.pod, c, {
      instanceId: this.k.config.instanceId,
      restart,
      init,
      env,
      mounts,
      sandboxId: this.sandboxId && this.sharesNetwork() ? this.sandboxId : undefined,
    });
    let id: string;
    try {
      id = await this.k.createContainer(dockerContainerName(this.pod, c, restart), spec, m.uid ?? '');
    } catch (e) {
      const err = e as RuntimeError;
      if (err.statusCode === 0) throw err; // the engine is away: FailedSync, retried
      if (err.statusCode !== 409) {
        // As the kubelet does: the container waits in CreateContainerError and is tried again.
        this.waiting(c, init, 'CreateContainerError', err.message);
        this.event('Warning', 'Failed', `Error: ${err.message}`, c, init);
        this.write();
        this.after(this.nextBackoff(this.pullBackoffs, c.name, IMAGE_PULL_CAP_FACTOR), () => this.launch(c, init));
        return;
      }
      // Created before a crash and never recorded: take it over rather than run the attempt twice.
      const existing = await this.takeOver(dockerContainerName(this.pod, c, restart));
      id = existing.id;
      this.k.host.recordContainer(id, m.uid ?? '');
      if (existing.running || !isZeroTime(existing.finishedAt)) return this.followStarted(c, init, id, restart);
    }
    if (this.detached) return; // the server is stopping: the next one starts it
    await this.watchExit(c, init, id);
    // Created is recorded with what follows the start (Started and Running, or the failure): three
    // writes in one commit, the same events in the same order.
    const created = () => this.event('Normal', 'Created', `Created container: ${c.name}`, c, init);
    try {
      await this.k.runtime.startContainer(id);
    } catch (e) {
      this.k.exits.forget(id);
      if ((e as RuntimeError).statusCode === 0) {
        created();
        throw e; // the engine is away: FailedSync, retried
      }
      this.k.host.together(() => {
        created();
        this.failToStart(c, init, 'StartError', (e as Error).message, id);
      });
      return;
    }
    this.k.host.together(() => {
      created();
      this.event('Normal', 'Started', `Started container ${c.name}`, c, init);
      this.follow(c, init, id, restart);
    });
  }

  /** A container with our name already exists: ours only if it carries this instance's and this pod's labels. */
  private async takeOver(name: string): Promise<ContainerInfo> {
    const existing = await this.k.runtime.inspectContainer(name);
    const labels = existing.labels;
    if (labels[LABEL_INSTANCE] !== this.k.config.instanceId || labels[LABEL_POD_UID] !== this.pod.metadata.uid) {
      throw new Error(`a container named ${name} exists and is not jobctl's; remove or rename it`);
    }
    return existing;
  }

  private failToStart(c: Container, init: boolean, reason: string, message: string, id?: string): void {
    const now = toRfc3339(this.now());
    this.event('Warning', 'Failed', `Error: ${message}`, c, init);
    this.recordExit(c, init, {
      exitCode: 128,
      reason,
      message,
      startedAt: now,
      finishedAt: now,
      containerID: id ? this.containerId(id) : undefined,
    });
  }

  /** Tracks a started (or adopted) container: output to its file, its exit to recordExit. */
  private follow(c: Container, init: boolean, id: string, restart: number, exited?: ContainerInfo): void {
    this.running.set(c.name, { id, name: c.name, restart, init });
    const s = this.cs(c.name, init);
    s.containerID = this.containerId(id);
    const capture = this.captureLogs(c.name, id, restart).finally(() => this.captures.delete(id));
    this.captures.set(id, capture);
    if (exited && !exited.running) {
      this.enqueue(() => this.exited(c, init, id));
      return;
    }
    // Running from now on; the engine's own start and finish times arrive with the exit.
    s.state = { running: { startedAt: this.now().toISOString() } };
    s.started = true;
    if (!init) this.status.phase = 'Running';
    this.refreshReadiness();
    this.write();
  }

  /** Its exit, when it comes, is handled in turn with the pod's other work. */
  private watchExit(c: Container, init: boolean, id: string): Promise<void> {
    return this.k.exits.watch(id, (code) =>
      this.enqueue(() => (code === undefined ? this.vanished(c, init, id) : this.exited(c, init, id, code))),
    );
  }

  /** Follows a container that was started before (by an earlier server, or before a crash). */
  private async followStarted(c: Container, init: boolean, id: string, restart: number): Promise<void> {
    await this.watchExit(c, init, id);
    // Inspected after the watch began: an exit is either seen here or reported by the watch.
    const info = await this.k.runtime.inspectContainer(id);
    if (info.status === 'created') {
      // Created and never started (a crash between the two): this run has not happened yet.
      this.k.exits.forget(id);
      return this.launch(c, init);
    }
    this.follow(c, init, id, restart, info.running ? undefined : info);
  }

  private async captureLogs(name: string, id: string, restart: number): Promise<void> {
    const m = this.pod.metadata;
    const root = this.k.config.logRoot;
    pruneOldRuns(root, m.namespace ?? '', m.name ?? '', m.uid ?? '', name, restart);
    const file = containerLogFile(root, m.namespace ?? '', m.name ?? '', m.uid ?? '', name, restart);
    try {
      // Opened at the first line: most batch containers of a big Job print nothing, and a missing
      // file reads as an empty log.
      let file$: WriteStream | undefined;
      const open = () => {
        ensureContainerLogDir(root, m.namespace ?? '', m.name ?? '', m.uid ?? '', name);
        return createWriteStream(file, { flags: 'w', mode: 0o600 });
      };
      const out = { write: (line: string) => (file$ ??= open()).write(line) };
      let partial: Record<string, string> = { stdout: '', stderr: '' };
      // A line without an end is flushed at this size: a container cannot grow one line without bound.
      await this.k.runtime.followLogs(id, (which, text) => {
        // Each frame is "<RFC3339Nano> <text>"; the engine splits long lines, so join until '\n'.
        const sp = text.indexOf(' ');
        const ts = text.slice(0, sp);
        const body = text.slice(sp + 1);
        const acc = partial[which] + body;
        if (acc.endsWith('\n') || acc.length >= MAX_LOG_LINE_BYTES) {
          out.write(`${ts} ${which} ${acc.endsWith('\n') ? acc : acc + '\n'}`);
          partial = { ...partial, [which]: '' };
        } else partial = { ...partial, [which]: acc };
      });
      const ts = new Date().toISOString();
      for (const which of ['stdout', 'stderr']) if (partial[which]) out.write(`${ts} ${which} ${partial[which]}\n`);
      const opened = file$;
      if (opened) await new Promise<void>((resolve) => opened.end(resolve));
    } catch {
      /* the container is gone already: whatever was captured stays */
    }
  }

  private async exited(c: Container, init: boolean, id: string, reportedCode?: number): Promise<void> {
    if (this.running.get(c.name)?.id !== id) return; // already handled
    this.k.exits.forget(id);
    let st: Pick<ContainerInfo, 'exitCode' | 'oomKilled' | 'startedAt' | 'finishedAt' | 'error'>;
    const runningSince = this.cs(c.name, init).state.running?.startedAt;
    if (reportedCode === 0 && runningSince) {
      // A clean exit needs no inspection (one engine call fewer per pod of a big Job): it started
      // when its start returned and finished when the engine reported it, to within milliseconds.
      st = { exitCode: 0, oomKilled: false, startedAt: runningSince, finishedAt: this.now().toISOString(), error: '' };
    } else {
      try {
        st = await this.k.runtime.inspectContainer(id);
      } catch (e) {
        if ((e as RuntimeError).statusCode === 404) return this.vanished(c, init, id);
        // The engine is away (stopping, say): the exit is recorded when it answers again.
        if ((e as RuntimeError).statusCode === 0)
          this.after(this.k.config.backoffBaseMs, () => this.exited(c, init, id, reportedCode));
        throw e;
      }
    }
    if (!this.terminating && this.stage !== 'done' && !st.oomKilled && (st.exitCode === 137 || st.exitCode === 143)) {
      // Killed, and not by us: removed behind our back (`docker rm -f`) unless it is still there.
      await new Promise((r) => setTimeout(r, VANISH_CHECK_MS));
      const still = await this.k.runtime.inspectContainer(id).then(
        () => true,
        (e: RuntimeError) => e.statusCode !== 404,
      );
      if (!still) return this.vanished(c, init, id);
    }
    const reason = st.oomKilled ? 'OOMKilled' : st.exitCode === 0 ? 'Completed' : 'Error';
    const restart = this.running.get(c.name)?.restart ?? 0;
    // The run's whole output is in its file before the exit is recorded: a fast failure's
    // FallbackToLogsOnError message is the tail of all of it, and so is `logs` once the pod is done.
    await this.drained(id);
    const message = this.terminationMessage(c, restart, st.exitCode) || st.error;
    this.recordExit(c, init, {
      exitCode: st.exitCode,
      reason,
      startedAt: engineTime(st.startedAt),
      finishedAt: engineTime(st.finishedAt),
      containerID: this.containerId(id),
      ...(message ? { message } : {}),
    });
  }

  private async drained(id: string): Promise<void> {
    const capture = this.captures.get(id);
    if (!capture) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([capture, new Promise<void>((r) => (timer = setTimeout(r, LOG_DRAIN_MAX_MS)))]);
    clearTimeout(timer);
  }

  /** The file at terminationMessagePath (4 KiB at most), or the log's tail with FallbackToLogsOnError. */
  private terminationMessage(c: Container, restart: number, exitCode: number): string {
    const m = this.pod.metadata;
    let text = '';
    try {
      text = readFileSync(terminationMessageHostPath(this.k.config.podRoot, this.pod, c.name, restart), 'utf8').slice(
        0,
        TERMINATION_MESSAGE_MAX_BYTES,
      );
    } catch {
      /* no file */
    }
    if (!text && exitCode !== 0 && c.terminationMessagePolicy === 'FallbackToLogsOnError') {
      try {
        const log = readFileSync(
          containerLogFile(this.k.config.logRoot, m.namespace ?? '', m.name ?? '', m.uid ?? '', c.name, restart),
          'utf8',
        );
        const lines = log
          .split('\n')
          .filter(Boolean)
          .slice(-FALLBACK_LOG_LINES)
          .map((l) => l.split(' ').slice(2).join(' '));
        text = lines.join('\n').slice(-TERMINATION_MESSAGE_FALLBACK_BYTES);
      } catch {
        /* no log */
      }
    }
    return text.trim();
  }

  /** A container we were tracking is gone from the engine: the pod cannot be trusted to finish. */
  private async vanished(c: Container, init: boolean, id: string): Promise<void> {
    if (this.running.get(c.name)?.id !== id || this.terminating) return;
    const now = toRfc3339(this.now());
    this.recordExit(
      c,
      init,
      {
        exitCode: 137,
        reason: 'ContainerVanished',
        message: "the container was removed from the Docker engine behind jobctl's back",
        startedAt: now,
        finishedAt: now,
        containerID: this.containerId(id),
      },
      true,
    );
  }

  private recordExit(
    c: Container,
    init: boolean,
    term: NonNullable<ContainerState['terminated']>,
    podFails = false,
  ): void {
    this.running.delete(c.name);
    const s = this.cs(c.name, init);
    s.state = { terminated: term };
    s.ready = false;
    if (this.terminating || this.stage === 'done') {
      this.refreshReadiness();
      this.write();
      return;
    }
    const restartPolicy = this.spec.restartPolicy;
    if (podFails) {
      this.setCondition(
        'DisruptionTarget',
        'True',
        'TerminationByKubelet',
        `Kubelet: container ${c.name} disappeared from the Docker engine`,
      );
      this.finish('Failed', 'ContainerVanished', `container ${c.name} disappeared from the Docker engine`);
      return;
    }
    if (term.exitCode !== 0 && restartPolicy === 'OnFailure') {
      this.crashLoop(c, init, term);
      return;
    }
    if (init) {
      if (term.exitCode !== 0) {
        this.finish('Failed');
        return;
      }
      this.initIndex++;
      this.refreshReadiness();
      this.write();
      this.enqueue(() => this.advance());
      return;
    }
    const apps = this.statusesFor(false);
    if (apps.every((x) => x.state.terminated)) {
      this.finish(apps.every((x) => x.state.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed');
      return;
    }
    this.refreshReadiness();
    this.write();
  }

  private crashLoop(c: Container, init: boolean, term: NonNullable<ContainerState['terminated']>): void {
    const s = this.cs(c.name, init);
    const key = c.name;
    const finishedMs = Date.parse(term.finishedAt ?? '') || this.now().getTime();
    const b = this.backoffs.get(key);
    const sinceFinish = this.now().getTime() - finishedMs;
    const restart = async () => {
      const st = this.cs(c.name, init);
      st.lastState = { terminated: term };
      st.restartCount += 1;
      this.nextBackoff(this.backoffs, key, CRASH_LOOP_CAP_FACTOR);
      await this.launch(c, init);
    };
    if (!b || sinceFinish >= b.delayMs || this.isStale(b, CRASH_LOOP_CAP_FACTOR)) {
      this.refreshReadiness();
      this.write();
      this.enqueue(restart);
      return;
    }
    const wait = b.delayMs - sinceFinish;
    s.lastState = { terminated: term };
    s.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(b.delayMs)} restarting failed container=${c.name} pod=${this.podRef()}`,
      },
    };
    this.refreshReadiness();
    this.write();
    this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.podRef()}`, c, init);
    this.after(wait, async () => {
      if (this.terminating || this.stage === 'done') return;
      const st = this.cs(c.name, init);
      st.state = { terminated: term }; // restart() moves it to lastState
      await restart();
    });
  }

  private finish(phase: 'Succeeded' | 'Failed', reason?: string, message?: string): void {
    this.stage = 'done';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.status.phase = phase;
    if (reason) this.status.reason = reason;
    if (message) this.status.message = message;
    this.refreshReadiness();
    this.write();
  }

  private async stopAll(graceSeconds: number): Promise<void> {
    const current = [...this.running.values()];
    await Promise.all(
      current.map(async (r) => {
        const c = [...(this.spec.initContainers ?? []), ...this.spec.containers].find((x) => x.name === r.name) ?? {
          name: r.name,
        };
        this.event('Normal', 'Killing', `Stopping container ${r.name}`, c, r.init);
        await this.k.runtime.stopContainer(r.id, graceSeconds);
        await this.exited(c, r.init, r.id);
      }),
    );
  }

  /** As the kubelet's evictPod: killed at once, Failed with reason Evicted, not the pod's fault. */
  private async evict(message: string): Promise<void> {
    if (this.stage === 'done' || this.terminating) return;
    this.k.host.recordEvent(this.pod, 'Warning', 'Evicted', message, 'kubelet');
    this.setCondition('DisruptionTarget', 'True', 'TerminationByKubelet', message);
    this.stage = 'done';
    await this.stopAll(0);
    this.finish('Failed', 'Evicted', message);
  }

  private async deadlineExceeded(): Promise<void> {
    if (this.stage === 'done' || this.terminating) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.k.host.recordEvent(this.pod, 'Normal', 'DeadlineExceeded', message, 'kubelet');
    this.stage = 'done';
    await this.stopAll(this.spec.terminationGracePeriodSeconds ?? 30);
    this.finish('Failed', 'DeadlineExceeded', message);
  }

  private async terminate(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const grace = this.pod.metadata.deletionGracePeriodSeconds ?? this.spec.terminationGracePeriodSeconds ?? 30;
    await this.stopAll(grace);
    if (this.status.phase !== 'Succeeded' && this.status.phase !== 'Failed' && this.status.phase !== undefined) {
      this.status.phase = 'Failed';
    }
    this.stage = 'done';
    this.refreshReadiness();
    this.write();
    await this.k.removeContainersOf(this.pod.metadata.uid ?? '');
    this.k.host.podTerminated(this.pod);
  }

  /** Re-attaches to a pod's containers after a server restart. */
  adopt(all: { id: string; name: string; restart: number }[]): void {
    this.sandboxId = all.find((f) => f.name === 'POD')?.id;
    const found = all.filter((f) => f.name !== 'POD');
    if (!this.pod.metadata.deletionTimestamp) {
      try {
        this.volumes = prepareVolumes(this.pod, this.k.config.podRoot, this.k.host);
        this.watchEmptyDirs();
      } catch {
        /* set up again when a container needs it */
      }
    }
    if (this.pod.metadata.deletionTimestamp) {
      this.terminating = true;
      for (const f of found) this.running.set(f.name, { id: f.id, name: f.name, restart: f.restart, init: false });
      this.enqueue(() => this.terminate());
      return;
    }
    const phase = this.status.phase;
    if (
      !phase ||
      (phase === 'Pending' && found.length === 0 && !(this.status.containerStatuses ?? []).some((s) => s.containerID))
    ) {
      this.stage = 'init';
      this.enqueue(() => this.start());
      return;
    }
    this.enqueue(async () => {
      const inits = this.spec.initContainers ?? [];
      this.initIndex = this.statusesFor(true).filter((s) => s.state.terminated?.exitCode === 0).length;
      this.stage = this.initIndex < inits.length ? 'init' : 'apps';
      this.armDeadline();
      const candidates = this.stage === 'init' ? [inits[this.initIndex]] : this.spec.containers;
      for (const c of candidates) {
        const init = this.stage === 'init';
        const s = this.cs(c.name, init);
        if (s.state.terminated && !(this.spec.restartPolicy === 'OnFailure' && s.state.terminated.exitCode !== 0))
          continue;
        const mine = found.filter((f) => f.name === c.name).sort((a, b) => b.restart - a.restart)[0];
        if (mine && mine.restart >= s.restartCount) {
          s.restartCount = mine.restart;
          await this.followStarted(c, init, mine.id, mine.restart);
        } else if (s.state.running || s.containerID) {
          const now = toRfc3339(this.now());
          this.recordExit(
            c,
            init,
            {
              exitCode: 137,
              reason: 'ContainerVanished',
              message: 'the container disappeared while jobctl was not running',
              startedAt: now,
              finishedAt: now,
            },
            true,
          );
          return;
        } else {
          await this.launch(c, init);
        }
      }
    });
  }

  /** The engine failed us: report it on the pod and try again later. */
  private engineTrouble(e: Error): void {
    if (this.detached) return;
    this.event('Warning', 'FailedSync', `error talking to the Docker engine: ${e.message}`);
    this.after(this.k.config.backoffBaseMs, async () => {
      if (this.terminating) return this.terminate();
      if (this.stage !== 'done') await this.advance();
    });
  }
}
