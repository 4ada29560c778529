// Indexed completion mode (reference §2.9–2.10): each pod's index, the sets of succeeded, failed
// and pending indexes, and per-index failure counts.
import type { Job, Pod } from '../../api/index.js';

export const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

export const isIndexed = (job: Job): boolean => job.spec.completionMode === 'Indexed';

/** The pod's completion index, or undefined when it has none (or a malformed one). */
export function podIndex(p: Pod): number | undefined {
  const v = p.metadata.annotations?.[INDEX_KEY] ?? p.metadata.labels?.[INDEX_KEY];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export function podIndexFailureCount(p: Pod): number {
  const v = p.metadata.annotations?.[INDEX_FAILURE_COUNT];
  return v && /^\d+$/.test(v) ? Number(v) : 0;
}

export function podIndexIgnoredCount(p: Pod): number {
  const v = p.metadata.annotations?.[INDEX_IGNORED_FAILURE_COUNT];
  return v && /^\d+$/.test(v) ? Number(v) : 0;
}

/** The lowest `n` indexes in [0, completions) that are in none of the excluded sets. */
export function lowestPending(completions: number, n: number, excluded: Set<number>[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < n; i++) if (!excluded.some((s) => s.has(i))) out.push(i);
  return out;
}
