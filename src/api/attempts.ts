// Every attempt of a Job (issue 18): each run of each of its pods' containers, OnFailure restarts
// included, kept until the Job is deleted; served by jobctl's server (not a Kubernetes API, and
// not in discovery) at /apis/jobctl.io/v1alpha1/namespaces/NS/{jobs|pods}/NAME/attempts.

export const ATTEMPTS_API_VERSION = 'jobctl.io/v1alpha1';

/** What a failure counted against, as the Job controller counts it (absent: not counted). */
export type Counted = 'backoffLimit' | 'backoffLimitPerIndex' | 'Ignore' | 'FailJob' | 'FailIndex';

export interface Attempt {
  /** 1, 2, ...: the Job's attempts in the order they started (`logs --attempt N`). */
  attempt: number;
  pod: string;
  podUID: string;
  /** The completion index (Indexed Jobs). */
  index?: number;
  container: string;
  init?: boolean;
  /** The container's restart number (0: its first run). */
  restart: number;
  state: 'Waiting' | 'Running' | 'Terminated';
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** Error, Completed, OOMKilled, DeadlineExceeded, Evicted, ...; a waiting reason while waiting. */
  reason?: string;
  message?: string;
  counted?: Counted;
  /** The podFailurePolicy rule that matched, by index. */
  rule?: number;
  /** The pod is deleted; its attempts are kept until the Job is. */
  podDeleted?: boolean;
  log: { bytes: number; dropped?: { bytes: number; capBytes: number } };
}

/** When the next attempt comes, and why not sooner. */
export interface NextAttempt {
  /** A new pod after the Job's back-off, or a container's restart after its crash-loop back-off. */
  kind: 'pod' | 'restart';
  at: string;
  backoffSeconds: number;
  /** kind pod: the failures the back-off counts, and the limit they count against. */
  failures?: number;
  limit?: { name: 'backoffLimit' | 'backoffLimitPerIndex'; value: number };
  index?: number;
  /** kind restart: which container, and the restart number it will be. */
  pod?: string;
  container?: string;
  restart?: number;
}

/** The Job the attempts belong to: what the timeline draws besides them. */
export interface AttemptsJob {
  name: string;
  namespace: string;
  uid: string;
  indexed: boolean;
  completions?: number;
  startTime?: string;
  /** startTime + activeDeadlineSeconds. */
  deadline?: string;
  /** Complete or Failed, with its reason and time. */
  finished?: { type: 'Complete' | 'Failed'; reason?: string; at?: string };
}

export interface AttemptList {
  apiVersion: typeof ATTEMPTS_API_VERSION;
  kind: 'AttemptList';
  /** When the list was made (the `in 37s` of `next` counts from here). */
  now: string;
  job?: AttemptsJob;
  items: Attempt[];
  next: NextAttempt[];
}

export function attemptsPath(namespace: string, resource: 'jobs' | 'pods', name: string): string {
  return `/apis/${ATTEMPTS_API_VERSION}/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}/attempts`;
}
