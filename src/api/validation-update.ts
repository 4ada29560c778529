// Update validation for Jobs (reference §1.6): immutable fields, and the elastic Indexed rule.
import { invalid, type FieldError } from './field-errors.js';
import { validateJob } from './validation.js';
import type { Job } from './types.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function validateJobUpdate(next: Job, old: Job): FieldError[] {
  const errs = validateJob(next);
  const a = next.spec;
  const b = old.spec;
  const elastic = a.completionMode === 'Indexed' && b.completionMode === 'Indexed' && a.completions === a.parallelism && !same(a.completions, b.completions);
  if (!same(a.completions, b.completions) && !elastic) errs.push(invalid('spec.completions', a.completions ?? null, 'field is immutable'));
  if (!same(a.selector, b.selector)) errs.push(invalid('spec.selector', a.selector, 'field is immutable'));
  if (!same(a.template, b.template)) errs.push(invalid('spec.template', a.template, 'field is immutable'));
  if (!same(a.completionMode, b.completionMode)) errs.push(invalid('spec.completionMode', a.completionMode, 'field is immutable'));
  if (!same(a.podFailurePolicy, b.podFailurePolicy)) errs.push(invalid('spec.podFailurePolicy', a.podFailurePolicy ?? null, 'field is immutable'));
  if (!same(a.backoffLimitPerIndex, b.backoffLimitPerIndex)) errs.push(invalid('spec.backoffLimitPerIndex', a.backoffLimitPerIndex ?? null, 'field is immutable'));
  if (!same(a.successPolicy, b.successPolicy)) errs.push(invalid('spec.successPolicy', a.successPolicy ?? null, 'field is immutable'));
  if (!same(a.managedBy, b.managedBy)) errs.push(invalid('spec.managedBy', a.managedBy ?? null, 'field is immutable'));
  return errs;
}
