import { describe, expect, it } from 'vitest';
import { admitCreate, defaultJob, type Job } from '../../src/api/index.js';

const job = (spec: Partial<Job['spec']> = {}, extra: Partial<Job> = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'x' },
  spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], restartPolicy: 'Never' } }, ...spec },
  ...extra,
});

describe('Job defaults (reference §1.1)', () => {
  it.each([
    ['both unset', {}, 1, 1],
    ['only parallelism', { parallelism: 5 }, undefined, 5],
    ['only completions', { completions: 3 }, 3, 1],
    ['both set', { completions: 3, parallelism: 2 }, 3, 2],
    ['parallelism 0', { parallelism: 0 }, undefined, 0],
  ])('%s', (_name, spec, completions, parallelism) => {
    const j = defaultJob(job(spec));
    expect(j.spec.completions).toBe(completions);
    expect(j.spec.parallelism).toBe(parallelism);
  });

  it('backoffLimit 6, or MaxInt32 with backoffLimitPerIndex', () => {
    expect(defaultJob(job()).spec.backoffLimit).toBe(6);
    expect(
      defaultJob(job({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 })).spec.backoffLimit,
    ).toBe(2147483647);
    expect(defaultJob(job({ backoffLimit: 0 })).spec.backoffLimit).toBe(0);
  });

  it('completionMode, suspend, manualSelector, podReplacementPolicy', () => {
    const j = defaultJob(job());
    expect(j.spec).toMatchObject({
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    const p = defaultJob(
      job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
    );
    expect(p.spec.podReplacementPolicy).toBe('Failed');
    expect(p.spec.podFailurePolicy!.rules[0].onPodConditions![0].status).toBe('True');
  });

  it('pod template defaults', () => {
    const j = defaultJob(job());
    const pod = j.spec.template.spec;
    expect(pod).toMatchObject({
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
    expect(pod.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    });
    const latest = defaultJob(
      job({ template: { spec: { containers: [{ name: 'c', image: 'my-app:latest' }], restartPolicy: 'Never' } } }),
    );
    expect(latest.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('requests default to limits', () => {
    const j = defaultJob(
      job({
        template: {
          spec: {
            containers: [
              { name: 'c', image: 'b', resources: { limits: { cpu: '1', memory: '64Mi' }, requests: { cpu: '500m' } } },
            ],
            restartPolicy: 'Never',
          },
        },
      }),
    );
    expect(j.spec.template.spec.containers[0].resources).toEqual({
      limits: { cpu: '1', memory: '64Mi' },
      requests: { cpu: '500m', memory: '64Mi' },
    });
  });

  it('volumes: defaultMode 420 and an emptyDir when no source is given', () => {
    const j = defaultJob(
      job({
        template: {
          spec: {
            containers: [{ name: 'c', image: 'b' }],
            restartPolicy: 'Never',
            volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }],
          },
        },
      }),
    );
    expect(j.spec.template.spec.volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
    ]);
  });
});

describe('create-time fields (reference §1.2)', () => {
  const now = new Date('2026-03-26T13:38:09.123Z');

  it('generates uid, selector and labels; a Job without labels gets the generated ones', () => {
    const { object } = admitCreate(job(), now, 'uid-1');
    const j = object as Job;
    expect(j.metadata).toMatchObject({ uid: 'uid-1', creationTimestamp: '2026-03-26T13:38:09Z', namespace: 'default' });
    const generated = {
      'batch.kubernetes.io/controller-uid': 'uid-1',
      'batch.kubernetes.io/job-name': 'x',
      'controller-uid': 'uid-1',
      'job-name': 'x',
    };
    expect(j.spec.template.metadata!.labels).toEqual(generated);
    expect(j.metadata.labels).toEqual(generated);
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
  });

  it('a Job with template labels of its own shows only those', () => {
    const { object } = admitCreate(
      job({
        template: {
          metadata: { labels: { app: 'batch' } },
          spec: { containers: [{ name: 'c', image: 'b' }], restartPolicy: 'Never' },
        },
      }),
      now,
      'u',
    );
    expect((object as Job).metadata.labels).toEqual({ app: 'batch' });
    expect((object as Job).spec.template.metadata!.labels).toMatchObject({ app: 'batch', 'job-name': 'x' });
  });

  it('does not modify its input', () => {
    const input = job();
    const before = JSON.stringify(input);
    admitCreate(input, now);
    expect(JSON.stringify(input)).toBe(before);
  });
});
