// A pod worker's container runs: create and start, following a run's output and exit,
// crash-loop restarts, stopping. What follows an exit is decideAfterExit's.
import { readFileSync } from 'node:fs';
import { goDuration, toRfc3339, type Container } from '../api/index.js';
import { isRuntimeError, isZeroTime, RuntimeError, type ContainerInfo } from './cri.js';
import { containerSpec, dockerContainerName } from './container-config.js';
import { captureRunLogs, runLogFile } from './log-capture.js';
import { writeRunRecord } from './run-records.js';
import { LABEL_INSTANCE, LABEL_POD_UID } from './labels.js';
import {
  computeTerminationMessage,
  CRASH_LOOP_CAP_FACTOR,
  decideAfterExit,
  IMAGE_PULL_CAP_FACTOR,
  isKillExit,
  terminatedReason,
  type Terminated,
} from './pod-status.js';
import {
  ConfigRefError,
  containerBinds,
  resolveEnv,
  terminationMessageFile,
  terminationMessageHostPath,
} from './pod-resources.js';
import { PodWorkerBase } from './pod-worker-base.js';

/** After an unexplained kill, how long to wait before asking whether the container still exists. */
export const VANISH_CHECK_MS = 300;
/**
 * The longest an exit waits for its run's output to be captured (the engine ends a followed log
 * stream when the container stops; this bounds a stream that never ends).
 */
export const LOG_DRAIN_MAX_MS = 5_000;

/**
 * Container start and finish times keep milliseconds (RFC 3339 allows fractions; clients parse
 * them): the re-creation back-off is measured from them, and whole seconds would blur it.
 */
const engineTime = (t: string): string => new Date(t).toISOString();

/** How a run ended, as the runtime reports it. */
type RunEnd = Pick<ContainerInfo, 'exitCode' | 'oomKilled' | 'startedAt' | 'finishedAt' | 'error'>;

export abstract class ContainerRuns extends PodWorkerBase {
  protected async launch(c: Container, init: boolean): Promise<void> {
    // Left set if the runtime goes away meanwhile: FailedSync's retry takes this launch up again
    // (a restart already counted and a container already terminated are not run through again).
    this.interrupted = { c, init };
    await this.launchOnce(c, init);
    this.interrupted = undefined;
  }

  private async launchOnce(c: Container, init: boolean): Promise<void> {
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
    const limited = Object.keys(c.resources?.limits ?? {}).filter((r) => r === 'cpu' || r === 'memory');
    const ignored = limited.length && restart === 0 ? await this.k.limitsIgnored() : undefined;
    if (ignored)
      this.event('Warning', 'LimitsNotEnforced', `${limited.join(' and ')} limits not enforced: ${ignored}`, c, init);
    const mounts = containerBinds(c, this.volumes ?? new Map());
    if (this.k.runtime.bindsHostPaths) {
      const termFile = terminationMessageFile(this.k.config.podRoot, this.pod, c.name, restart);
      mounts.push(`${termFile}:${c.terminationMessagePath ?? '/dev/termination-log'}`);
    }
    const spec = containerSpec(this.pod, c, {
      instanceId: this.k.config.instanceId,
      restart,
      init,
      env,
      mounts,
      sandboxId: this.sandboxId && this.sharesNetwork() ? this.sandboxId : undefined,
    });
    const name = dockerContainerName(this.pod, c, restart);
    let id: string;
    try {
      id = await this.k.createContainer(name, spec, m.uid ?? '');
    } catch (e) {
      if (!isRuntimeError(e) || e.unreachable) throw e; // a bug; or the runtime away: FailedSync, retried
      if (e.statusCode !== 409) {
        // As the kubelet does: the container waits in CreateContainerError and is tried again.
        this.waiting(c, init, 'CreateContainerError', e.message);
        this.event('Warning', 'Failed', `Error: ${e.message}`, c, init);
        this.write();
        this.after(this.nextBackoff(this.pullBackoffs, c.name, IMAGE_PULL_CAP_FACTOR), () => this.launch(c, init));
        return;
      }
      // Created before a crash and never recorded: take it over rather than run the attempt twice.
      const existing = await this.takeOver(name);
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
      if (!isRuntimeError(e)) throw e; // a bug
      if (e.unreachable) {
        created();
        throw e; // the runtime is away: FailedSync, retried
      }
      this.k.host.together(() => {
        created();
        this.failToStart(c, init, 'StartError', e.message, id);
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
  protected async takeOver(name: string): Promise<ContainerInfo> {
    const existing = await this.k.runtime.inspectContainer(name);
    const labels = existing.labels;
    if (labels[LABEL_INSTANCE] !== this.k.config.instanceId || labels[LABEL_POD_UID] !== this.pod.metadata.uid) {
      throw new RuntimeError(409, `a container named ${name} exists and is not jobctl's; remove or rename it`);
    }
    return existing;
  }

  protected failToStart(c: Container, init: boolean, reason: string, message: string, id?: string): void {
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
  protected follow(c: Container, init: boolean, id: string, restart: number, exited?: ContainerInfo): void {
    this.running.set(c.name, { id, name: c.name, restart, init });
    const s = this.cs(c.name, init);
    s.containerID = this.containerId(id);
    const capture = captureRunLogs(
      this.k.runtime,
      this.k.config.logRoot,
      this.pod,
      c.name,
      id,
      restart,
      this.k.logWrites,
    )
      .then((bytes) => this.k.logCaptured(this.pod, bytes))
      .finally(() => this.captures.delete(id));
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
  protected watchExit(c: Container, init: boolean, id: string): Promise<void> {
    return this.k.exits.watch(id, (code) =>
      this.enqueue(() => (code === undefined ? this.vanished(c, init, id) : this.exited(c, init, id, code))),
    );
  }

  /** Follows a container that was started before (by an earlier server, or before a crash). */
  protected async followStarted(c: Container, init: boolean, id: string, restart: number): Promise<void> {
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

  protected async exited(c: Container, init: boolean, id: string, reportedCode?: number): Promise<void> {
    if (this.running.get(c.name)?.id !== id) return; // already handled
    this.k.exits.forget(id);
    let st: RunEnd;
    const runningSince = this.cs(c.name, init).state.running?.startedAt;
    if (reportedCode === 0 && runningSince) {
      // A clean exit needs no inspection (one engine call fewer per pod of a big Job): it started
      // when its start returned and finished when the engine reported it, to within milliseconds.
      st = { exitCode: 0, oomKilled: false, startedAt: runningSince, finishedAt: this.now().toISOString(), error: '' };
    } else {
      try {
        st = await this.k.runtime.inspectContainer(id);
      } catch (e) {
        if (isRuntimeError(e, 404)) return this.vanished(c, init, id);
        // The engine is away (stopping, say): the exit is recorded when it answers again.
        if (isRuntimeError(e, 0)) this.after(this.k.config.backoffBaseMs, () => this.exited(c, init, id, reportedCode));
        throw e;
      }
    }
    if (!this.terminating && this.stage !== 'done' && isKillExit(st.exitCode, st.oomKilled)) {
      // Killed, and not by us: removed behind our back (`docker rm -f`) unless it is still there,
      // which is asked a moment later, in turn with the pod's other work (the chain never sleeps).
      const seen = st;
      this.after(VANISH_CHECK_MS, () => this.confirmKilled(c, init, id, seen));
      return;
    }
    await this.finishRun(c, init, id, st);
  }

  private async confirmKilled(c: Container, init: boolean, id: string, st: RunEnd): Promise<void> {
    if (this.running.get(c.name)?.id !== id) return; // handled meanwhile (a deletion stopped it)
    const still = await this.k.runtime.inspectContainer(id).then(
      () => true,
      (e: unknown) => !isRuntimeError(e, 404),
    );
    if (!still) return this.vanished(c, init, id);
    await this.finishRun(c, init, id, st);
  }

  /** Records a run's end once its whole output is in its file (the termination message reads it). */
  private async finishRun(c: Container, init: boolean, id: string, st: RunEnd): Promise<void> {
    const reason = terminatedReason(st.exitCode, st.oomKilled);
    const restart = this.running.get(c.name)?.restart ?? 0;
    // A fast failure's FallbackToLogsOnError message is the tail of all of it, and so is `logs`
    // once the pod is done.
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

  protected async drained(id: string): Promise<void> {
    const capture = this.captures.get(id);
    if (!capture) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([capture, new Promise<void>((r) => (timer = setTimeout(r, LOG_DRAIN_MAX_MS)))]);
    clearTimeout(timer);
  }

  /** The file at terminationMessagePath, or the log's tail with FallbackToLogsOnError. */
  protected terminationMessage(c: Container, restart: number, exitCode: number): string {
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    };
    return computeTerminationMessage(
      c,
      exitCode,
      // No host file when the runtime binds none (the simulated runtime's containers write none).
      this.k.runtime.bindsHostPaths
        ? read(terminationMessageHostPath(this.k.config.podRoot, this.pod, c.name, restart))
        : '',
      () => read(runLogFile(this.k.config.logRoot, this.pod, c.name, restart)).split('\n'),
    );
  }

  /** A container we were tracking is gone from the engine: the pod cannot be trusted to finish. */
  protected async vanished(c: Container, init: boolean, id: string): Promise<void> {
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

  protected recordExit(c: Container, init: boolean, term: Terminated, podFails = false): void {
    this.running.delete(c.name);
    const s = this.cs(c.name, init);
    s.state = { terminated: term };
    s.ready = false;
    if (this.terminating || this.stage === 'done') {
      this.refreshReadiness();
      this.write();
      return;
    }
    if (podFails) {
      const why = `container ${c.name} disappeared from the ${this.k.runtime.name} runtime`;
      this.setCondition('DisruptionTarget', 'True', 'TerminationByKubelet', `Kubelet: ${why}`);
      this.finish('Failed', 'ContainerVanished', why);
      return;
    }
    const next = decideAfterExit(this.spec, this.status, init, term);
    if (next.kind === 'restart') return this.crashLoop(c, init, term);
    if (next.kind === 'finish') return this.finish(next.phase);
    if (next.kind === 'next-init') {
      this.initIndex++;
      this.enqueue(() => this.advance());
    }
    this.refreshReadiness();
    this.write();
  }

  protected crashLoop(c: Container, init: boolean, term: Terminated): void {
    const s = this.cs(c.name, init);
    // A run its restarts will push out of the status is kept (until the Job goes) as a record,
    // written before the status that reports it: a crash between records it again.
    writeRunRecord(this.k.config.logRoot, this.pod, c.name, init, s.restartCount, term);
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

  protected async stopAll(graceSeconds: number): Promise<void> {
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

  protected abstract ensureEngineVolumes(): Promise<void>;
  protected abstract sharesNetwork(): boolean;
}
