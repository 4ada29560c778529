// A pod's lifecycle on this node: set-up (volumes, the sandbox), init containers then app
// containers, deadlines and evictions, deletion with the grace period, adoption after a restart.
import { toRfc3339, type Pod } from '../api/index.js';
import { podHostname } from './container-config.js';
import { isRuntimeError, RuntimeError, type ContainerSpec } from './cri.js';
import { LABEL_CONTAINER_NAME, LABEL_RESTART_COUNT, podLabels } from './labels.js';
import { diskUsageBytes, MountError, prepareVolumes, sizedDiskEmptyDirs } from './pod-resources.js';
import { ContainerRuns } from './container-runs.js';

import { isTerminal } from './pod-worker-base.js';

export class PodWorker extends ContainerRuns {
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

  protected async start(): Promise<void> {
    const now = toRfc3339(this.now());
    this.status.phase = 'Pending';
    this.status.startTime ??= now;
    this.status.hostIP = '127.0.0.1';
    this.status.hostIPs = [{ ip: '127.0.0.1' }];
    this.status.podIP = '127.0.0.1';
    this.status.podIPs = [{ ip: '127.0.0.1' }];
    this.setCondition('PodReadyToStartContainers', 'True');
    this.setCondition(
      'Initialized',
      (this.spec.initContainers ?? []).length ? 'False' : 'True',
      (this.spec.initContainers ?? []).length ? 'ContainersNotInitialized' : undefined,
    );
    this.statusesFor(true);
    this.statusesFor(false);
    this.refreshReadiness();
    this.setCondition('PodScheduled', 'True'); // bound by the scheduler: kept as it set it
    this.write();
    this.armDeadline();
    await this.setUp();
  }

  /** Volumes and the network sandbox, then the containers; retried while a volume's source is missing. */
  protected async setUp(): Promise<void> {
    if (this.terminating || this.stage === 'done') return;
    try {
      this.volumes ??= prepareVolumes(this.pod, this.k.config.podRoot, this.k.host, this.k.runtime.remote);
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
  protected async ensureEngineVolumes(): Promise<void> {
    if (this.engineVolumesReady || !this.volumes) return;
    const labels = podLabels(this.pod, this.k.config.instanceId);
    for (const v of this.volumes.values()) {
      if (v.engineTmpfsBytes !== undefined)
        await this.k.runtime.createTmpfsVolume(v.hostPath, v.engineTmpfsBytes, labels);
    }
    this.engineVolumesReady = true;
  }

  /**
   * The kubelet's eviction manager, for this pod's disk-backed emptyDirs with a sizeLimit: every
   * housekeeping interval their use is measured, and one past its limit evicts the pod.
   */
  protected watchEmptyDirs(): void {
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

  protected sharesNetwork(): boolean {
    return !this.spec.hostNetwork && (this.spec.initContainers ?? []).length + this.spec.containers.length > 1;
  }

  /**
   * Several containers share one network namespace (localhost), held by a sandbox container. The
   * sandbox also holds the pod's engine tmpfs volumes mounted for the pod's life: the engine
   * unmounts such a volume, and loses its files, when no running container uses it.
   */
  protected async ensureSandbox(): Promise<void> {
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
    if (!image) throw new RuntimeError(404, 'no image for the pod sandbox is present (set JOBCTL_SANDBOX_IMAGE)');
    const pause = image.includes('/pause:');
    const spec: ContainerSpec = {
      image,
      ...(pause ? {} : { entrypoint: ['sleep', '2147483647'], cmd: [] }),
      env: [],
      hostname: podHostname(this.pod),
      labels: {
        ...podLabels(this.pod, this.k.config.instanceId),
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
      if (!isRuntimeError(e, 409)) throw e;
      id = (await this.takeOver(name)).id;
      this.k.host.recordContainer(id, m.uid ?? '');
    }
    if (this.detached) return;
    await this.k.runtime.startContainer(id).catch((e: unknown) => {
      if (!isRuntimeError(e, 304)) throw e;
    });
    this.sandboxId = id;
  }

  protected armDeadline(): void {
    const ads = this.spec.activeDeadlineSeconds;
    if (ads === undefined || !this.status.startTime) return;
    const remaining = Date.parse(this.status.startTime) + ads * 1000 - this.now().getTime();
    this.after(remaining, () => this.deadlineExceeded());
  }

  /** Starts whatever comes next: the next init container, or all app containers. */
  protected async advance(): Promise<void> {
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

  /** As the kubelet's evictPod: killed at once, Failed with reason Evicted, not the pod's fault. */
  protected async evict(message: string): Promise<void> {
    if (this.stage === 'done' || this.terminating) return;
    this.k.host.recordEvent(this.pod, 'Warning', 'Evicted', message, 'kubelet');
    this.setCondition('DisruptionTarget', 'True', 'TerminationByKubelet', message);
    this.stage = 'done';
    await this.stopAll(0);
    this.finish('Failed', 'Evicted', message);
  }

  protected async deadlineExceeded(): Promise<void> {
    if (this.stage === 'done' || this.terminating) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.k.host.recordEvent(this.pod, 'Normal', 'DeadlineExceeded', message, 'kubelet');
    this.stage = 'done';
    await this.stopAll(this.spec.terminationGracePeriodSeconds ?? 30);
    this.finish('Failed', 'DeadlineExceeded', message);
  }

  protected async terminate(): Promise<void> {
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
      // An init container is one still (its status is among the init containers').
      const inits = new Set((this.spec.initContainers ?? []).map((c) => c.name));
      for (const f of found)
        this.running.set(f.name, { id: f.id, name: f.name, restart: f.restart, init: inits.has(f.name) });
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
}
