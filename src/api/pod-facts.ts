// Facts about a pod that more than one room reads.
import type { Pod } from './types.js';

const ms = (t: string | undefined | null): number | undefined => (t ? Date.parse(t) : undefined);

/** When a pod finished: its newest container finish, else its deletion, else its creation. */
export function podFinishTime(p: Pod): number {
  let latest: number | undefined;
  for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
    const f = ms(s.state.terminated?.finishedAt);
    if (f !== undefined && (latest === undefined || f > latest)) latest = f;
  }
  if (latest !== undefined) return latest;
  const grace = (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  const del = ms(p.metadata.deletionTimestamp);
  if (del !== undefined) return del - grace;
  return ms(p.metadata.creationTimestamp) ?? 0;
}
