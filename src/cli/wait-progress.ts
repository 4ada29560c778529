// What `wait`'s spinner says as the Job goes on (issue 18): `job/NAME: 3/10 succeeded, 1 failed,
// 2 running, next retry in 12s`. The back-off comes from jobctl's attempts (a cluster keeps none:
// the progress is said without it), read again only when the Job's failures change, and counted
// down each second.
import { jobCompletions, type Job, type NextAttempt } from '../api/index.js';
import type { ApiClient } from '../client/index.js';
import { fetchAttempts } from './attempts.js';

/** `job/NAME: 3/10 succeeded, 1 failed, 2 running (1 ready)`. */
export function progress(name: string, job: Job): string {
  const s = job.status ?? {};
  const done = `${jobCompletions(job)} succeeded`;
  const parts = [done, `${s.failed ?? 0} failed`, `${s.active ?? 0} running`];
  if (s.ready !== undefined && s.active) parts[2] += ` (${s.ready} ready)`;
  return `job/${name}: ${parts.join(', ')}`;
}

/** `, next retry in 12s` while a back-off holds the next pod or restart. */
export function retryText(next: readonly NextAttempt[], nowMs: number): string {
  const soonest = next.map((n) => Date.parse(n.at)).sort((a, b) => a - b)[0];
  if (soonest === undefined) return '';
  const s = Math.ceil((soonest - nowMs) / 1000);
  return s > 0 ? `, next retry in ${s}s` : '';
}

/** How often the back-off is read again while the Job may be retrying. */
const ASK_EVERY_MS = 2000;

export class WaitProgress {
  private job?: Job;
  private next: NextAttempt[] = [];
  private askedAt = 0;
  private asking = false;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly client: ApiClient,
    private readonly ns: string,
    private readonly name: string,
    private readonly say: (text: string) => void,
  ) {
    this.ticker = setInterval(() => this.show(), 1000);
    this.ticker.unref();
  }

  /** Each version of the Job as the wait sees it. */
  seen(job: Job): void {
    this.job = job;
    this.show();
  }

  /** Only a Job that may be retrying (a failure, or restarts in place) is asked about its back-off. */
  private mayRetry(job: Job): boolean {
    return Boolean(job.status?.failed) || job.spec.template.spec.restartPolicy === 'OnFailure';
  }

  private ask(): void {
    const job = this.job;
    if (!job || this.asking || !this.client.endpoint.local || !this.mayRetry(job)) return;
    if (Date.now() - this.askedAt < ASK_EVERY_MS) return;
    this.asking = true;
    this.askedAt = Date.now();
    void fetchAttempts(this.client, this.ns, { resource: 'jobs', name: this.name })
      .then(
        (list) => {
          this.next = list.next;
          this.show();
        },
        () => undefined,
      )
      .finally(() => (this.asking = false));
  }

  private show(): void {
    if (!this.job) return;
    this.say(progress(this.name, this.job) + retryText(this.next, Date.now()));
    this.ask();
  }

  stop(): void {
    clearInterval(this.ticker);
  }
}
