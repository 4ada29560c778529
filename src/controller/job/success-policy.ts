// successPolicy (reference §2.12): the first rule the succeeded indexes satisfy.
import { parseIndexes, type Job } from '../../api/index.js';

export function matchSuccessPolicy(job: Job, succeeded: Set<number>): number | undefined {
  const rules = job.spec.successPolicy?.rules ?? [];
  const completions = job.spec.completions ?? 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (r.succeededIndexes !== undefined) {
      const listed = parseIndexes(r.succeededIndexes, completions);
      const done = listed.filter((x) => succeeded.has(x)).length;
      if (r.succeededCount !== undefined ? done >= r.succeededCount : done === listed.length) return i;
    } else if (r.succeededCount !== undefined && succeeded.size >= r.succeededCount) return i;
  }
  return undefined;
}
