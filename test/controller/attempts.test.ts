// jobAttempts (issue 18): every run of a Job's pods, numbered as they started, what each failure
// counted against by the controller's own rules, and when the next attempt comes by its back-off.
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '../../src/api/index.js';
import { jobAttempts, type KeptPod } from '../../src/controller/job/attempts.js';
import { INDEX_KEY } from '../../src/controller/job/indexed.js';
import { JOB_TRACKING_FINALIZER } from '../../src/controller/job/pods.js';
import type { RunFiles } from '../../src/runtime/run-records.js';
import { at, CONFIG, iso, makeJob } from '../helpers/jobs.js';

let n = 0;
/** A pod of job `j` whose one container ran from `start` to `end` (seconds) with `exit`. */
function ended(start: number, end: number, exit: number, opts: { index?: number; deleting?: number } = {}): Pod {
  n++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `j-${n}`,
      namespace: 'default',
      uid: `p${n}`,
      creationTimestamp: iso(start),
      annotations: opts.index === undefined ? {} : { [INDEX_KEY]: String(opts.index) },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'uid', controller: true }],
      finalizers: [JOB_TRACKING_FINALIZER],
      ...(opts.deleting === undefined ? {} : { deletionTimestamp: iso(opts.deleting) }),
    },
    spec: { containers: [{ name: 'main' }], restartPolicy: 'Never', nodeName: 'vm' },
    status: {
      phase: exit === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [
        status({
          terminated: {
            exitCode: exit,
            reason: exit ? 'Error' : 'Completed',
            startedAt: iso(start),
            finishedAt: iso(end),
          },
        }),
      ],
    },
  };
}

function status(
  state: ContainerStatus['state'],
  restartCount = 0,
  lastState: ContainerStatus['state'] = {},
): ContainerStatus {
  return { name: 'main', ready: false, restartCount, image: '', imageID: '', lastState, state };
}

const kept = (pod: Pod, runs: RunFiles[] = [], deleted = false): KeptPod => ({ pod, deleted, runs });
const cells = (l: ReturnType<typeof jobAttempts>) =>
  l.items.map((a) => [a.attempt, a.pod, a.restart, a.exitCode, a.reason, a.counted ?? '-', a.rule ?? '-']);

describe('jobAttempts', () => {
  it("numbers a Never Job's pods as they started, counts each failure against backoffLimit, and says when the next pod comes", () => {
    const job = makeJob({ backoffLimit: 6 }, { startTime: iso(0), failed: 2 });
    const a = ended(10, 11, 3); // started second
    const b = ended(0, 1, 3);
    const list = jobAttempts(job, [kept(a), kept(b)], [a, b], at(20), CONFIG);
    expect(cells(list)).toEqual([
      [1, b.metadata.name, 0, 3, 'Error', 'backoffLimit', '-'],
      [2, a.metadata.name, 0, 3, 'Error', 'backoffLimit', '-'],
    ]);
    // Two failures since the last success: 10 s doubled once, from the last failure at 11 s.
    expect(list.next).toEqual([
      { kind: 'pod', at: iso(31), backoffSeconds: 20, failures: 2, limit: { name: 'backoffLimit', value: 6 } },
    ]);
    expect(list.job).toMatchObject({ name: 'j', startTime: iso(0), indexed: false });
  });

  it('names the podFailurePolicy rule that ignored or failed the Job, and counts nothing a success is', () => {
    const job = makeJob({
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onExitCodes: { operator: 'In', values: [42] } },
          { action: 'FailJob', onExitCodes: { operator: 'In', values: [7] } },
        ],
      },
    });
    const pods = [ended(0, 1, 42), ended(2, 3, 0), ended(4, 5, 7)];
    expect(
      cells(
        jobAttempts(
          job,
          pods.map((p) => kept(p)),
          pods,
          at(6),
          CONFIG,
        ),
      ),
    ).toEqual([
      [1, pods[0].metadata.name, 0, 42, 'Error', 'Ignore', 0],
      [2, pods[1].metadata.name, 0, 0, 'Completed', '-', '-'],
      [3, pods[2].metadata.name, 0, 7, 'Error', 'FailJob', 1],
    ]);
  });

  it('keeps every OnFailure restart from the runs recorded, the pod deleted as the Job failed included', () => {
    const job = makeJob({ backoffLimit: 2 }, { startTime: iso(0) }, 'OnFailure');
    const p = ended(4, 5, 2, { deleting: 6 });
    p.spec.restartPolicy = 'OnFailure';
    p.status!.containerStatuses = [
      status({ terminated: { exitCode: 2, reason: 'Error', startedAt: iso(4), finishedAt: iso(5) } }, 2, {
        terminated: { exitCode: 2, reason: 'Error', startedAt: iso(2), finishedAt: iso(3) },
      }),
    ];
    const run = (restart: number, s: number): RunFiles => ({
      container: 'main',
      restart,
      record: { container: 'main', restart, exitCode: 2, reason: 'Error', startedAt: iso(s), finishedAt: iso(s + 1) },
      logBytes: 4,
      ...(restart === 0 ? { dropped: { bytes: 4, capBytes: 4 } } : {}),
    });
    const list = jobAttempts(job, [kept(p, [run(0, 0), run(1, 2), run(2, 4)], true)], [], at(7), CONFIG);
    expect(cells(list)).toEqual([
      [1, p.metadata.name, 0, 2, 'Error', 'backoffLimit', '-'],
      [2, p.metadata.name, 1, 2, 'Error', 'backoffLimit', '-'],
      [3, p.metadata.name, 2, 2, 'Error', 'backoffLimit', '-'],
    ]);
    expect(list.items.every((a) => a.podDeleted)).toBe(true);
    expect(list.items[0].log).toEqual({ bytes: 4, dropped: { bytes: 4, capBytes: 4 } });
  });

  it("says why a pod the Job stopped ended: the Job's reason, counted against nothing", () => {
    const job = makeJob(
      { activeDeadlineSeconds: 5 },
      {
        startTime: iso(0),
        conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', lastTransitionTime: iso(5) }],
      },
    );
    const p = ended(0, 6, 143, { deleting: 5 });
    const list = jobAttempts(job, [kept(p)], [p], at(7), CONFIG);
    expect(cells(list)).toEqual([[1, p.metadata.name, 0, 143, 'DeadlineExceeded', '-', '-']]);
    expect(list.job?.deadline).toBe(iso(5).replace('.000', ''));
  });

  it('per index: the index held back, its limit, and a running and a waiting attempt', () => {
    const job = makeJob({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 2 });
    const failed = ended(0, 1, 1, { index: 1 });
    const running = ended(0, 0, 0, { index: 0 });
    running.status = { phase: 'Running', containerStatuses: [status({ running: { startedAt: iso(0) } })] };
    const waiting = ended(2, 2, 0, { index: 2 });
    waiting.status = { phase: 'Pending', containerStatuses: [status({ waiting: { reason: 'ContainerCreating' } })] };
    const pods = [failed, running, waiting];
    const list = jobAttempts(
      job,
      pods.map((p) => kept(p)),
      pods,
      at(3),
      CONFIG,
    );
    expect(list.items.map((a) => [a.index, a.state, a.reason ?? '-', a.counted ?? '-'])).toEqual([
      [1, 'Terminated', 'Error', 'backoffLimitPerIndex'],
      [0, 'Running', '-', '-'],
      [2, 'Waiting', 'ContainerCreating', '-'],
    ]);
    expect(list.next).toEqual([
      {
        kind: 'pod',
        at: iso(11),
        backoffSeconds: 10,
        failures: 1,
        limit: { name: 'backoffLimitPerIndex', value: 2 },
        index: 1,
      },
    ]);
  });

  it("a container in crash-loop back-off: its next restart, from the kubelet's delay", () => {
    const job = makeJob({}, { startTime: iso(0) }, 'OnFailure');
    const p = ended(0, 1, 1);
    p.spec.restartPolicy = 'OnFailure';
    p.status = {
      phase: 'Running',
      containerStatuses: [
        status(
          {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 20s restarting failed container=main pod=j_default(p)',
            },
          },
          1,
          { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(3), finishedAt: iso(4) } },
        ),
      ],
    };
    const list = jobAttempts(job, [kept(p)], [p], at(10), CONFIG);
    expect(list.items.map((a) => [a.restart, a.state, a.counted])).toEqual([[1, 'Terminated', 'backoffLimit']]);
    expect(list.next).toEqual([
      { kind: 'restart', at: iso(24), backoffSeconds: 20, pod: p.metadata.name, container: 'main', restart: 2 },
    ]);
  });
});
