// Update validation for Jobs (reference §1.6): immutable fields, and the elastic Indexed rule.
import { invalid, type FieldError } from './field-errors.js';
import { validateJob } from './validation.js';
import type { Job } from './types.js';

/** JSON with object keys sorted: equal values compare equal whatever order their keys came in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : x,
  );
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * The stored template as an update is compared with it. While a Job is suspended and has never
 * started, its pods' scheduling directives may change (Kubernetes' mutable scheduling directives,
 * GA in 1.27): the node selector, tolerations, node affinity, scheduling gates, labels and
 * annotations are taken from the update, so only the rest must be unchanged.
 */
function comparableTemplate(next: Job['spec'], old: Job): Job['spec']['template'] {
  if (!(old.spec.suspend === true && !old.status?.startTime)) return old.spec.template;
  const t = structuredClone(old.spec.template);
  const want = next.template;
  const spec = t.spec as Record<string, unknown>;
  const wantSpec = want.spec as Record<string, unknown>;
  const affinity = (spec.affinity ?? undefined) as Record<string, unknown> | undefined;
  const wantAffinity = (wantSpec.affinity ?? undefined) as Record<string, unknown> | undefined;
  if (!wantAffinity && affinity) {
    // Cleared: allowed when the old affinity held nothing but node affinity.
    delete affinity.nodeAffinity;
    if (Object.keys(affinity).length === 0) delete spec.affinity;
  } else if (wantAffinity) {
    spec.affinity = { ...(affinity ?? {}), nodeAffinity: wantAffinity.nodeAffinity };
    if (wantAffinity.nodeAffinity === undefined) delete (spec.affinity as Record<string, unknown>).nodeAffinity;
  }
  for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) {
    if (wantSpec[key] === undefined) delete spec[key];
    else spec[key] = wantSpec[key];
  }
  t.metadata = { ...t.metadata, labels: want.metadata?.labels, annotations: want.metadata?.annotations };
  if (t.metadata.labels === undefined) delete t.metadata.labels;
  if (t.metadata.annotations === undefined) delete t.metadata.annotations;
  return t;
}

export function validateJobUpdate(next: Job, old: Job): FieldError[] {
  const errs = validateJob(next);
  const a = next.spec;
  const b = old.spec;
  const elastic =
    a.completionMode === 'Indexed' &&
    b.completionMode === 'Indexed' &&
    a.completions === a.parallelism &&
    !same(a.completions, b.completions);
  if (!same(a.completions, b.completions) && !elastic)
    errs.push(invalid('spec.completions', a.completions ?? null, 'field is immutable'));
  if (!same(a.selector, b.selector)) errs.push(invalid('spec.selector', a.selector, 'field is immutable'));
  if (!same(a.template, comparableTemplate(a, old)))
    errs.push(invalid('spec.template', a.template, 'field is immutable'));
  if (!same(a.completionMode, b.completionMode))
    errs.push(invalid('spec.completionMode', a.completionMode, 'field is immutable'));
  if (!same(a.podFailurePolicy, b.podFailurePolicy))
    errs.push(invalid('spec.podFailurePolicy', a.podFailurePolicy ?? null, 'field is immutable'));
  if (!same(a.backoffLimitPerIndex, b.backoffLimitPerIndex))
    errs.push(invalid('spec.backoffLimitPerIndex', a.backoffLimitPerIndex ?? null, 'field is immutable'));
  if (!same(a.successPolicy, b.successPolicy))
    errs.push(invalid('spec.successPolicy', a.successPolicy ?? null, 'field is immutable'));
  if (!same(a.managedBy, b.managedBy)) errs.push(invalid('spec.managedBy', a.managedBy ?? null, 'field is immutable'));
  return errs;
}
