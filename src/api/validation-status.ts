// Status-subresource validation for Jobs, as Kubernetes 1.32 runs it (JobManagedBy on by default):
// a Job handed to another controller (`spec.managedBy`) gets its status from that controller, and
// the API server keeps the transitions sane. Each rule runs only when the fields it reads changed,
// as in Kubernetes' getStatusValidationOptions, so an unrelated write is never blocked. The
// SuccessCriteriaMet condition is allowed on any Job (1.32's controller sets it with
// CompletionsReached before Complete).
import { invalid, invalidNoValue, required, duplicate, type FieldError } from './field-errors.js';
import { parseIndexes } from './indexes.js';
import type { Job, JobStatus } from './types.js';

const isTrue = (s: JobStatus | undefined, type: string) =>
  Boolean(s?.conditions?.some((c) => c.type === type && c.status === 'True'));
const complete = (s?: JobStatus) => isTrue(s, 'Complete');
const failed = (s?: JobStatus) => isTrue(s, 'Failed');
const finished = (s?: JobStatus) => complete(s) || failed(s);
const successMet = (s?: JobStatus) => isTrue(s, 'SuccessCriteriaMet');
const failureTarget = (s?: JobStatus) => isTrue(s, 'FailureTarget');

function indexesError(field: string, text: string | undefined, completions: number): FieldError[] {
  try {
    parseIndexes(text ?? '', completions);
    return [];
  } catch (e) {
    return [invalid(field, text, `error parsing ${field.split('.').pop()}: ${(e as Error).message}`)];
  }
}

export function validateJobStatusUpdate(next: Job, old: Job): FieldError[] {
  const s = next.status ?? {};
  const o = old.status ?? {};
  const errs: FieldError[] = [];
  const changed = (k: keyof JobStatus) => JSON.stringify(s[k] ?? null) !== JSON.stringify(o[k] ?? null);
  const finishedChanged = finished(s) !== finished(o);
  const completeChanged = complete(s) !== complete(o);
  const failedChanged = failed(s) !== failed(o);
  const indexed = next.spec.completionMode === 'Indexed';
  const completions = next.spec.completions ?? undefined;

  for (const k of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) {
    const v = s[k];
    if (v !== undefined && v < 0) errs.push(invalid(`status.${k}`, v, 'must be greater than or equal to 0'));
  }
  const seen = new Set<string>();
  for (const which of ['succeeded', 'failed'] as const) {
    (s.uncountedTerminatedPods?.[which] ?? []).forEach((uid, i) => {
      const field = `status.uncountedTerminatedPods.${which}[${i}]`;
      if (uid === '') errs.push(invalid(field, uid, 'must not be empty'));
      else if (seen.has(uid)) errs.push(duplicate(field, uid));
      else seen.add(uid);
    });
  }
  const uncounted =
    (s.uncountedTerminatedPods?.succeeded?.length ?? 0) + (s.uncountedTerminatedPods?.failed?.length ?? 0);

  if ((completeChanged || failedChanged) && complete(s) && failed(s))
    errs.push(invalidNoValue('status.conditions', 'cannot set Complete=True and Failed=true conditions'));
  if ((completeChanged || failureTarget(s) !== failureTarget(o)) && complete(s) && failureTarget(s)) {
    errs.push(invalidNoValue('status.conditions', 'cannot set Complete=True and FailureTarget=true conditions'));
  }
  if ((completeChanged || changed('completionTime')) && s.completionTime && !complete(s)) {
    errs.push(
      invalid(
        'status.completionTime',
        s.completionTime,
        'cannot set completionTime when there is no Complete=True condition',
      ),
    );
  }
  if ((completeChanged || changed('completionTime')) && !s.completionTime && complete(s))
    errs.push(required('status.completionTime', 'completionTime is required for Complete jobs'));
  if (
    (changed('startTime') || changed('completionTime')) &&
    s.startTime &&
    s.completionTime &&
    Date.parse(s.completionTime) < Date.parse(s.startTime)
  ) {
    errs.push(invalid('status.completionTime', s.completionTime, 'completionTime cannot be set before startTime'));
  }
  if ((failedChanged || changed('failedIndexes')) && failed(s) && !failureTarget(s)) {
    errs.push(
      invalidNoValue('status.conditions', 'cannot set Failed=True condition without the FailureTarget=true condition'),
    );
  }
  if (completeChanged && complete(s) && !successMet(s)) {
    errs.push(
      invalidNoValue(
        'status.conditions',
        'cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
      ),
    );
  }
  if ((finishedChanged || changed('active')) && (s.active ?? 0) > 0 && finished(s))
    errs.push(invalid('status.active', s.active, 'active>0 is invalid for finished job'));
  if ((finishedChanged || changed('startTime')) && !s.startTime && finished(s))
    errs.push(required('status.startTime', 'startTime is required for finished job'));
  if ((finishedChanged || changed('uncountedTerminatedPods')) && finished(s) && uncounted > 0) {
    errs.push(
      invalid(
        'status.uncountedTerminatedPods',
        s.uncountedTerminatedPods,
        'uncountedTerminatedPods needs to be empty for finished job',
      ),
    );
  }
  if (changed('completedIndexes') && completions !== undefined)
    errs.push(...indexesError('status.completedIndexes', s.completedIndexes, completions));
  if (
    changed('failedIndexes') &&
    completions !== undefined &&
    next.spec.backoffLimitPerIndex !== undefined &&
    s.failedIndexes !== undefined
  ) {
    errs.push(...indexesError('status.failedIndexes', s.failedIndexes, completions));
  }
  if (changed('completedIndexes') && s.completedIndexes && !indexed) {
    errs.push(
      invalid(
        'status.completedIndexes',
        s.completedIndexes,
        'cannot set non-empty completedIndexes when non-indexed completion mode',
      ),
    );
  }
  if (changed('failedIndexes') && next.spec.backoffLimitPerIndex === undefined && s.failedIndexes !== undefined) {
    errs.push(
      invalid(
        'status.failedIndexes',
        s.failedIndexes,
        'cannot set non-null failedIndexes when backoffLimitPerIndex is null',
      ),
    );
  }
  if ((changed('failedIndexes') || changed('completedIndexes')) && completions !== undefined && s.failedIndexes) {
    const done = new Set(safeIndexes(s.completedIndexes, completions));
    const overlap = safeIndexes(s.failedIndexes, completions).find((i) => done.has(i));
    if (overlap !== undefined)
      errs.push(
        invalid(
          'status.failedIndexes',
          s.failedIndexes,
          `failedIndexes and completedIndexes overlap at index: ${overlap}`,
        ),
      );
  }
  if (successMet(s) && failed(s))
    errs.push(invalidNoValue('status.conditions', 'cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  if (successMet(s) && failureTarget(s))
    errs.push(
      invalidNoValue('status.conditions', 'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'),
    );
  if (next.spec.successPolicy && !successMet(s) && complete(s)) {
    errs.push(
      invalidNoValue(
        'status.conditions',
        'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True',
      ),
    );
  }

  // Transitions.
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (isTrue(o, type) && !isTrue(s, type))
      errs.push(invalidNoValue('status.conditions', `cannot disable the terminal ${type}=True condition`));
  }
  if ((s.failed ?? 0) < (o.failed ?? 0))
    errs.push(invalid('status.failed', s.failed ?? 0, 'cannot decrease the failed counter'));
  const scalable = indexed && next.spec.completions === next.spec.parallelism;
  if (!scalable && (s.succeeded ?? 0) < (o.succeeded ?? 0))
    errs.push(invalid('status.succeeded', s.succeeded ?? 0, 'cannot decrease the succeeded counter'));
  if (s.completionTime && o.completionTime && s.completionTime !== o.completionTime)
    errs.push(invalid('status.completionTime', s.completionTime, 'completionTime cannot be mutated'));
  if (changed('startTime') && o.startTime && s.startTime !== o.startTime && next.spec.suspend !== true) {
    errs.push(required('status.startTime', 'startTime cannot be removed for unsuspended job'));
  }
  if (successMet(o) && !successMet(s))
    errs.push(invalidNoValue('status.conditions', 'cannot disable the SuccessCriteriaMet=True condition'));
  if (complete(o) && !successMet(o) && successMet(s)) {
    errs.push(
      invalidNoValue(
        'status.conditions',
        'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions',
      ),
    );
  }
  return errs;
}

function safeIndexes(text: string | undefined, completions: number): number[] {
  try {
    return parseIndexes(text ?? '', completions);
  } catch {
    return [];
  }
}
