// The "kubelet": runs each pod's containers on the container runtime, reports their states,
// restarts them for restartPolicy OnFailure with crash-loop back-off, enforces pod deadlines,
// stops pods with their grace period, and captures every run's output to files. This is the
// node's side (one PodWorker per pod, adoption, clean-up); a pod's work is in pod-worker.ts.
import type { Pod, PodStatus } from '../api/index.js';
import { engineVolumeName, removePodDirs, tmpfsBytes, type ObjectSource } from './pod-resources.js';
import type { ContainerRuntime, ContainerSpec } from './cri.js';
import { ExitWatcher } from './exits.js';
import { LABEL_CONTAINER_NAME, LABEL_INSTANCE, LABEL_POD_UID, LABEL_RESTART_COUNT } from './labels.js';
import { LogWrites } from './log-capture.js';
import { removePodLogs } from './log-files.js';
import {
  archivePod,
  controllingJob,
  enforceJobLogCap,
  jobLogBytes,
  jobPodDirs,
  removeJobRuns,
  sweepRuns,
} from './run-records.js';
import { isTerminal } from './pod-worker-base.js';
import { PodWorker } from './pod-worker.js';

/** How long a local image's presence is trusted without asking the engine again (IfNotPresent, Never). */
export const IMAGE_CACHE_MS = 10_000;
/** How much of a Job's output is kept (JOBCTL_JOB_LOG_CAP); past it, the oldest runs' goes. */
export const DEFAULT_JOB_LOG_CAP_BYTES = 100 * 1024 * 1024;
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
  /** Whether the Job of that uid exists (a deleted pod's runs are kept while it does). */
  jobExists(namespace: string, name: string, uid: string): boolean;
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
  /** The most output kept per Job (default DEFAULT_JOB_LOG_CAP_BYTES). */
  jobLogCapBytes?: number;
  now?: () => Date;
  log?: (msg: string) => void;
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  readonly now: () => Date;
  readonly exits: ExitWatcher;
  /** Each write of a run's captured output, for `logs -f`. */
  readonly logWrites = new LogWrites();

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

  private limits?: Promise<string | undefined>;
  /** Why the engine cannot enforce cpu and memory limits, if it cannot (asked once it answers). */
  limitsIgnored(): Promise<string | undefined> {
    this.limits ??= this.runtime.info().then(
      (i) => i.limitsIgnored,
      () => ((this.limits = undefined), undefined),
    );
    return this.limits;
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
      const ns = pod.metadata.namespace ?? '';
      const job = controllingJob(pod);
      // A Job's attempts are kept until the Job goes (its removal takes them: jobDeleted).
      if (job && this.host.jobExists(ns, job.name, job.uid)) archivePod(this.config.logRoot, pod);
      else removePodLogs(this.config.logRoot, ns, pod.metadata.name ?? '', uid);
      removePodDirs(this.config.podRoot, pod);
      void this.removeContainersOf(uid).then(() => this.removeVolumesOf(pod));
      return;
    }
    if (!w) {
      if (!pod.spec.nodeName) return; // not scheduled yet: the scheduler binds it, then it runs here
      if (isTerminal(pod) && !pod.metadata.deletionTimestamp) return; // finished before we met it
      w = new PodWorker(this, pod);
      this.workers.set(uid, w);
    }
    w.update(pod);
    // A finished pod needs its worker no more (a later deletion gets a new one): a big Job's
    // finished pods would otherwise each keep one for the server's life.
    if (isTerminal(pod) && !pod.metadata.deletionTimestamp && !w.busy) this.workers.delete(uid);
  }

  /** A Job is gone: so are the runs kept of its deleted pods. */
  jobDeleted(namespace: string, name: string, uid: string): void {
    this.jobLogs.delete(uid);
    removeJobRuns(this.config.logRoot, namespace, name, uid);
  }

  /** The kept output of each Job met since the start (read from the files once, then counted). */
  private readonly jobLogs = new Map<string, number>();

  /** A run's output is captured: past the Job's cap, the oldest runs' output goes. */
  logCaptured(pod: Pod, bytes: number): void {
    const job = controllingJob(pod);
    if (!job || bytes === 0) return;
    const cap = this.config.jobLogCapBytes ?? DEFAULT_JOB_LOG_CAP_BYTES;
    const root = this.config.logRoot;
    const dirs = () => jobPodDirs(root, pod.metadata.namespace ?? '', job.name, job.uid);
    const known = this.jobLogs.get(job.uid);
    let total = known === undefined ? jobLogBytes(root, dirs()) : known + bytes;
    if (total > cap) total = enforceJobLogCap(root, dirs(), cap);
    this.jobLogs.set(job.uid, total);
  }

  /** At start: the runs kept of pods that are gone, unless their Job still is there (what a crash left). */
  sweepKeptRuns(pods: readonly Pod[]): void {
    const live = new Set(pods.map((p) => p.metadata.uid ?? ''));
    sweepRuns(this.config.logRoot, live, (ns, name, uid) => this.host.jobExists(ns, name, uid));
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
      if (!pod.spec.nodeName || (isTerminal(pod) && !pod.metadata.deletionTimestamp)) continue;
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
      if (tmpfsBytes(v) === undefined) continue;
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
      // The sandbox last: Podman refuses to remove it while containers share its namespaces.
      const ours = list.filter((c) => mine.has(c.id));
      const isSandbox = (c: { labels: Record<string, string> }) => c.labels[LABEL_CONTAINER_NAME] === 'POD';
      await Promise.all(ours.filter((c) => !isSandbox(c)).map((c) => this.removeContainer(c.id)));
      await Promise.all(ours.filter(isSandbox).map((c) => this.removeContainer(c.id)));
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
