// GET .../{jobs|pods}/NAME/attempts and .../attempts/N/log: every attempt of a Job (or of one pod)
// from the store and the runs the kubelet kept (runtime/run-records.ts), counted by the Job
// controller's rules (controller/job/attempts.ts); the log of one of them.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { badRequestError, notFoundError, type AttemptList, type Job, type Pod } from '../api/index.js';
import type { Registry } from '../apiserver/index.js';
import { jobAttempts, type KeptPod } from '../controller/job/attempts.js';
import { containerLogFile, podLogDir } from '../runtime/log-files.js';
import { controllingJob, jobPodDirs, podDirsNamed, readPodRuns, uidOfDir } from '../runtime/run-records.js';
import { renderLogLine } from './logs.js';

export const ATTEMPTS_PATH =
  /^\/apis\/jobctl\.io\/v1alpha1\/namespaces\/([^/]+)\/(jobs|pods)\/([^/]+)\/attempts(?:\/(\d+)\/log)?$/;

export class AttemptsApi {
  constructor(
    private readonly registry: Registry,
    private readonly logRoot: string,
    private readonly podBackoffBaseMs: number,
  ) {}

  /** The Job's pods that exist and those deleted while it exists, each with its kept runs. */
  private keptOfJob(job: Job): KeptPod[] {
    const ns = job.metadata.namespace ?? '';
    const store = this.registry.store;
    const dirs = jobPodDirs(this.logRoot, ns, job.metadata.name ?? '', job.metadata.uid ?? '');
    const byUid = new Map(dirs.map((d) => [uidOfDir(d), d]));
    const kept: KeptPod[] = [];
    for (const name of this.registry.podNamesOf(job)) {
      const pod = store.get<Pod>('Pod', ns, name);
      if (!pod) continue;
      const dir = byUid.get(pod.metadata.uid ?? '');
      byUid.delete(pod.metadata.uid ?? '');
      kept.push({ pod, deleted: false, runs: dir ? readPodRuns(this.logRoot, dir).runs : [] });
    }
    for (const dir of byUid.values()) {
      const r = readPodRuns(this.logRoot, dir);
      if (r.archived && r.pod) kept.push({ pod: r.pod, deleted: true, runs: r.runs });
    }
    return kept;
  }

  /** A pod, or the last of that name deleted while its Job exists. */
  private podNamed(ns: string, name: string): KeptPod {
    const pod = this.registry.store.get<Pod>('Pod', ns, name);
    if (pod) {
      const dir = basename(podLogDir(this.logRoot, ns, name, pod.metadata.uid ?? ''));
      return { pod, deleted: false, runs: readPodRuns(this.logRoot, dir).runs };
    }
    let found: KeptPod | undefined;
    for (const dir of podDirsNamed(this.logRoot, ns, name)) {
      const r = readPodRuns(this.logRoot, dir);
      if (!r.archived || !r.pod) continue;
      if (!found || (r.pod.metadata.deletionTimestamp ?? '') > (found.pod.metadata.deletionTimestamp ?? ''))
        found = { pod: r.pod, deleted: true, runs: r.runs };
    }
    if (!found) throw notFoundError('pods', '', name);
    return found;
  }

  list(ns: string, resource: 'jobs' | 'pods', name: string): AttemptList {
    const now = this.registry.now();
    const config = { podBackoffBaseMs: this.podBackoffBaseMs };
    if (resource === 'jobs') {
      const job = this.registry.getJob(ns, name);
      if (!job) throw notFoundError('jobs', 'batch', name);
      return jobAttempts(job, this.keptOfJob(job), this.registry.podsOf(job), now, config);
    }
    const kept = this.podNamed(ns, name);
    const owner = controllingJob(kept.pod);
    const job = owner && this.registry.getJob(ns, owner.name);
    const ours = job && job.metadata.uid === owner.uid ? job : undefined;
    const list = jobAttempts(ours, [kept], ours ? this.registry.podsOf(ours) : [], now, config);
    // A pod's own attempts; the Job's next pod is not the pod's.
    return { ...list, next: list.next.filter((n) => n.kind === 'restart') };
  }

  /** One attempt's output (as `logs` prints it). */
  async log(
    ns: string,
    resource: 'jobs' | 'pods',
    name: string,
    n: number,
    timestamps: boolean,
    res: ServerResponse,
  ): Promise<void> {
    const list = this.list(ns, resource, name);
    const a = list.items.find((x) => x.attempt === n);
    if (!a)
      throw badRequestError(
        `attempt ${n} of ${resource === 'jobs' ? 'job' : 'pod'}/${name} not found: it has ${list.items.length}`,
      );
    const file = containerLogFile(this.logRoot, ns, a.pod, a.podUID, a.container, a.restart);
    const text = await readFile(file, 'utf8').catch(() => '');
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const line of text.split('\n')) if (line) res.write(renderLogLine(line, timestamps) + '\n');
    res.end();
  }
}
