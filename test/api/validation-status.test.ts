// Status-subresource validation (Kubernetes 1.32's rules for a Job whose status another
// controller writes): each rule, with the exact message, and writes that must pass.
import { describe, expect, it } from 'vitest';
import { renderFieldError, validateJobStatusUpdate, type Job, type JobStatus } from '../../src/api/index.js';
import { iso, makeJob } from '../helpers/jobs.js';

const cond = (type: string) => ({
  type,
  status: 'True' as const,
  reason: 'R',
  message: 'm',
  lastProbeTime: iso(1),
  lastTransitionTime: iso(1),
});
const check = (status: JobStatus, old: JobStatus = { startTime: iso(0) }, spec: Partial<Job['spec']> = {}) => {
  const before = makeJob(spec, old);
  before.status = old;
  const next = structuredClone(before);
  next.status = status;
  return validateJobStatusUpdate(next, before).map(renderFieldError);
};

describe('Job status validation', () => {
  it.each([
    [
      'a negative counter',
      { startTime: iso(0), active: -1 },
      'status.active: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'Complete without SuccessCriteriaMet',
      { startTime: iso(0), completionTime: iso(2), conditions: [cond('Complete')] },
      'status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
    ],
    [
      'Failed without FailureTarget',
      { startTime: iso(0), conditions: [cond('Failed')] },
      'status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition',
    ],
    [
      'Complete without completionTime',
      { startTime: iso(0), conditions: [cond('SuccessCriteriaMet'), cond('Complete')] },
      'status.completionTime: Required value: completionTime is required for Complete jobs',
    ],
    [
      'completionTime without Complete',
      { startTime: iso(0), completionTime: iso(2) },
      'status.completionTime: Invalid value: "2026-01-01T00:00:02.000Z": cannot set completionTime when there is no Complete=True condition',
    ],
    [
      'completionTime before startTime',
      { startTime: iso(5), completionTime: iso(2), conditions: [cond('SuccessCriteriaMet'), cond('Complete')] },
      'status.completionTime: Invalid value: "2026-01-01T00:00:02.000Z": completionTime cannot be set before startTime',
    ],
    [
      'finished with active pods',
      { startTime: iso(0), active: 2, conditions: [cond('FailureTarget'), cond('Failed')] },
      'status.active: Invalid value: 2: active>0 is invalid for finished job',
    ],
    [
      'finished without startTime',
      { conditions: [cond('FailureTarget'), cond('Failed')] },
      'status.startTime: Required value: startTime is required for finished job',
    ],
    [
      'completedIndexes on a NonIndexed Job',
      { startTime: iso(0), completedIndexes: '0' },
      'status.completedIndexes: Invalid value: "0": cannot set non-empty completedIndexes when non-indexed completion mode',
    ],
    [
      'SuccessCriteriaMet with FailureTarget',
      { startTime: iso(0), conditions: [cond('SuccessCriteriaMet'), cond('FailureTarget')] },
      'status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and FailureTarget=true conditions',
    ],
  ] as [string, JobStatus, string][])('%s', (_t, status, message) => {
    expect(check(status)).toContain(message);
  });

  it('refuses undoing a terminal condition and decreasing counters', () => {
    const old = { startTime: iso(0), failed: 2, conditions: [cond('FailureTarget'), cond('Failed')] };
    expect(check({ startTime: iso(0), failed: 1, conditions: [cond('FailureTarget')] }, old)).toEqual([
      'status.conditions: Invalid value: cannot disable the terminal Failed=True condition',
      'status.failed: Invalid value: 1: cannot decrease the failed counter',
    ]);
  });

  it('checks indexes of an Indexed Job', () => {
    const spec = { completionMode: 'Indexed' as const, completions: 3, parallelism: 3, backoffLimitPerIndex: 1 };
    expect(check({ startTime: iso(0), completedIndexes: '0,5' }, undefined, spec)).toEqual([
      'status.completedIndexes: Invalid value: "0,5": error parsing completedIndexes: too large index: "5"',
    ]);
    expect(check({ startTime: iso(0), completedIndexes: '0,1', failedIndexes: '1' }, undefined, spec)).toEqual([
      'status.failedIndexes: Invalid value: "1": failedIndexes and completedIndexes overlap at index: 1',
    ]);
  });

  it("lets the job controller's own transitions through", () => {
    expect(check({ startTime: iso(0), active: 1, ready: 0 })).toEqual([]);
    expect(
      check(
        {
          startTime: iso(0),
          succeeded: 1,
          completionTime: iso(3),
          conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
        },
        { startTime: iso(0), succeeded: 1, conditions: [cond('SuccessCriteriaMet')] },
      ),
    ).toEqual([]);
    expect(
      check(
        { startTime: iso(0), failed: 7, conditions: [cond('FailureTarget'), cond('Failed')] },
        { startTime: iso(0), failed: 7, conditions: [cond('FailureTarget')] },
      ),
    ).toEqual([]);
  });
});
