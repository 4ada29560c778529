// The kubelet's pure decisions, as tables: what follows an exit, back-offs, pull policies,
// readiness and termination messages.
import { describe, expect, it } from 'vitest';
import type { PodSpec, PodStatus } from '../../src/api/index.js';
import {
  computeReadiness,
  computeTerminationMessage,
  containerStatuses,
  decideAfterExit,
  decideImage,
  nextBackoff,
  type Terminated,
} from '../../src/runtime/pod-status.js';

const spec = (restartPolicy: 'Never' | 'OnFailure', apps = ['a'], inits: string[] = []): PodSpec => ({
  restartPolicy,
  containers: apps.map((name) => ({ name, image: 'busybox:1.35' })),
  initContainers: inits.map((name) => ({ name, image: 'busybox:1.35' })),
});
const term = (exitCode: number): Terminated => ({ exitCode, reason: exitCode ? 'Error' : 'Completed' });

/** A status where the named app containers have terminated with the given codes (others run). */
function statusWith(s: PodSpec, codes: Record<string, number>): PodStatus {
  const status: PodStatus = {};
  for (const c of containerStatuses(s, status, false)) {
    c.state = c.name in codes ? { terminated: term(codes[c.name]) } : { running: {} };
  }
  return status;
}

describe('decideAfterExit', () => {
  it.each([
    ['OnFailure, a failure restarts', spec('OnFailure'), false, { a: 1 }, { kind: 'restart' }],
    ['OnFailure, a success finishes', spec('OnFailure'), false, { a: 0 }, { kind: 'finish', phase: 'Succeeded' }],
    ['Never, a failure fails the pod', spec('Never'), false, { a: 2 }, { kind: 'finish', phase: 'Failed' }],
    ['Never, one of two done waits for the other', spec('Never', ['a', 'b']), false, { a: 0 }, { kind: 'wait' }],
    [
      'all done, one failed: Failed',
      spec('Never', ['a', 'b']),
      false,
      { a: 0, b: 1 },
      { kind: 'finish', phase: 'Failed' },
    ],
    [
      'all done, all 0: Succeeded',
      spec('Never', ['a', 'b']),
      false,
      { a: 0, b: 0 },
      { kind: 'finish', phase: 'Succeeded' },
    ],
  ] as const)('%s', (_t, s, init, codes, want) => {
    const exited = Object.entries(codes).at(-1)![1];
    expect(decideAfterExit(s, statusWith(s, codes), init, term(exited))).toEqual(want);
  });

  it('init containers: a success moves on, a failure fails the pod under Never and restarts under OnFailure', () => {
    expect(decideAfterExit(spec('Never', ['a'], ['i']), {}, true, term(0))).toEqual({ kind: 'next-init' });
    expect(decideAfterExit(spec('Never', ['a'], ['i']), {}, true, term(1))).toEqual({
      kind: 'finish',
      phase: 'Failed',
    });
    expect(decideAfterExit(spec('OnFailure', ['a'], ['i']), {}, true, term(1))).toEqual({ kind: 'restart' });
  });
});

describe('nextBackoff', () => {
  it('doubles from the base up to the cap, and starts over after twice the cap unused', () => {
    let b = nextBackoff(undefined, 0, 10, 30);
    const delays = [b.delayMs];
    for (let i = 0; i < 7; i++) delays.push((b = nextBackoff(b, i, 10, 30)).delayMs);
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect(nextBackoff(b, 6 + 601, 10, 30).delayMs).toBe(10);
    expect(nextBackoff(b, 6 + 600, 10, 30).delayMs).toBe(300);
  });
});

describe('decideImage', () => {
  it.each([
    ['IfNotPresent', true, 'use'],
    ['IfNotPresent', false, 'pull'],
    [undefined, true, 'use'],
    ['Always', true, 'pull'],
    ['Never', true, 'use'],
    ['Never', false, 'never-pull-missing'],
  ] as const)('%s with the image %s present: %s', (policy, present, want) => {
    expect(decideImage(policy, present)).toBe(want);
  });
});

describe('readiness and termination messages', () => {
  it('Ready only while every app container runs and the pod has not finished', () => {
    const s = spec('Never', ['a', 'b']);
    const status = statusWith(s, { a: 0 });
    computeReadiness(s, status, 't');
    expect(status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    const running = statusWith(s, {});
    computeReadiness(s, running, 't');
    expect(running.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    running.phase = 'Succeeded';
    computeReadiness(s, running, 't2');
    expect(running.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
      lastTransitionTime: 't2',
    });
  });

  it("the file first; the log's last 80 lines only with FallbackToLogsOnError and a failure", () => {
    const log = () => Array.from({ length: 100 }, (_, i) => `ts stdout line ${i}`);
    const fallback = { terminationMessagePolicy: 'FallbackToLogsOnError' as const };
    expect(computeTerminationMessage(fallback, 1, 'from file\n', log)).toBe('from file');
    expect(computeTerminationMessage(fallback, 1, '', log).split('\n')).toHaveLength(80);
    expect(computeTerminationMessage(fallback, 1, '', log).split('\n')[0]).toBe('line 20');
    expect(computeTerminationMessage(fallback, 0, '', log)).toBe('');
    expect(computeTerminationMessage({}, 1, '', log)).toBe('');
    expect(computeTerminationMessage({}, 1, 'x'.repeat(5000), log)).toHaveLength(4096);
  });
});
