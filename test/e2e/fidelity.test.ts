// Kubernetes fidelity on the real engine (issue 12): scale-down is not failure, mutable scheduling
// directives of a suspended Job, spec.managedBy, termination messages of fast failures,
// emptyDir.sizeLimit. Written from Kubernetes' own integration tests (test/integration/job).
import { afterAll, describe, expect, it } from 'vitest';
import type { Event, Job, Pod } from '../../src/api/index.js';
import { Home, jobManifest, until, type List } from './harness.js';

const home = new Home('500ms');
afterAll(() => home.cleanup());

const pods = (job: string) => home.podsOf(job);
const job = (name: string) => home.getJob(name);
const events = async (name: string, reason: string) =>
  (await home.json<List<Event>>(['get', 'events'])).items.filter(
    (e) => e.involvedObject.name === name && e.reason === reason,
  );
const running = async (name: string) =>
  (await pods(name)).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

const sleeper = (name: string, spec: string) =>
  jobManifest(
    name,
    spec,
    `      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        command: ["sleep", "300"]`,
  );

describe('scaling down is not failing', () => {
  it('lowering parallelism below active by more than backoffLimit, then raising it again', async () => {
    await home.ok(['apply', '-f', '-'], sleeper('shrink', '  completions: 10\n  parallelism: 5\n  backoffLimit: 2'));
    await until('five running pods', async () => (await running('shrink')).length === 5);
    expect(await home.ok(['patch', 'job', 'shrink', '--type=merge', '-p', '{"spec":{"parallelism":2}}'])).toBe(
      'job.batch/shrink patched\n',
    );
    await until('three pods gone', async () => (await pods('shrink')).length === 2, 30_000);
    let j = await job('shrink');
    expect(j.status?.active).toBe(2);
    expect(j.status?.failed).toBeUndefined();
    expect(j.status?.conditions ?? []).toEqual([]);
    expect(await events('shrink', 'SuccessfulDelete')).toHaveLength(3);
    for (const e of await events('shrink', 'SuccessfulDelete'))
      expect(e.message).toMatch(/^Deleted pod: shrink-[a-z0-9]{5}$/);

    await home.ok(['patch', 'job', 'shrink', '--type=merge', '-p', '{"spec":{"parallelism":4}}']);
    await until('four running pods', async () => (await running('shrink')).length === 4, 30_000);
    j = await job('shrink');
    expect(j.status?.active).toBe(4);
    expect(j.status?.failed).toBeUndefined();
    expect(await events('shrink', 'SuccessfulCreate')).toHaveLength(7);
    await home.ok(['delete', 'job', 'shrink']);
  });

  it('an elastic Indexed Job shrinks completions and parallelism together and completes', async () => {
    const manifest = (n: number) =>
      jobManifest(
        'elastic',
        `  completionMode: Indexed\n  completions: ${n}\n  parallelism: ${n}\n  backoffLimit: 0`,
        `      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", "if [ $JOB_COMPLETION_INDEX -lt 2 ]; then sleep 4; echo done $JOB_COMPLETION_INDEX; else sleep 300; fi"]`,
      );
    await home.ok(['apply', '-f', '-'], manifest(4));
    await until('four running pods', async () => (await running('elastic')).length === 4);
    expect(await home.ok(['apply', '-f', '-'], manifest(2))).toBe('job.batch/elastic configured\n');
    await home.ok(['wait', '--for=condition=complete', 'job/elastic', '--timeout=60s']);
    const j = await job('elastic');
    expect(j.status).toMatchObject({ succeeded: 2, completedIndexes: '0,1' }); // two neighbours: Kubernetes writes "0,1", not "0-1";
    expect(j.status?.failed).toBeUndefined();
    expect(await events('elastic', 'SuccessfulDelete')).toHaveLength(2);
  });
});

describe('spec.managedBy hands a Job to another controller', () => {
  it("the built-in controller leaves it alone; the status subresource takes the other controller's writes, validated; TTL still applies", async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'external',
        '  managedBy: example.com/my-controller\n  ttlSecondsAfterFinished: 1\n  activeDeadlineSeconds: 1',
        `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        command: ["true"]`,
      ),
    );
    await new Promise((r) => setTimeout(r, 2500));
    let j = await job('external');
    expect(j.spec.managedBy).toBe('example.com/my-controller');
    expect(j.status ?? {}).toEqual({});
    expect(await pods('external')).toEqual([]);
    expect(
      (await home.json<List<Event>>(['get', 'events'])).items.filter((e) => e.involvedObject.name === 'external'),
    ).toEqual([]);

    const path = '/apis/batch/v1/namespaces/default/jobs/external/status';
    const put = (status: object) =>
      home.api('PUT', path, JSON.stringify({ ...j, status }), { 'Content-Type': 'application/json' });
    const started = '2026-01-01T00:00:00Z';
    // Complete without SuccessCriteriaMet: refused with Kubernetes' message, nothing written.
    let r = await put({
      startTime: started,
      completionTime: '2026-01-01T00:01:00Z',
      succeeded: 1,
      conditions: [{ type: 'Complete', status: 'True' }],
    });
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body).message).toBe(
      'Job.batch "external" is invalid: status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
    );
    expect((await job('external')).status ?? {}).toEqual({});
    r = await put({ startTime: started, active: 1 });
    expect(r.status).toBe(200);
    j = JSON.parse(r.body) as Job;
    expect((await job('external')).status).toMatchObject({ startTime: started, active: 1 });
    const done = {
      startTime: started,
      completionTime: '2026-01-01T00:01:00Z',
      succeeded: 1,
      conditions: [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
          lastProbeTime: started,
          lastTransitionTime: new Date().toISOString(),
        },
        {
          type: 'Complete',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
          lastProbeTime: started,
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    };
    r = await put({ ...done, active: 1 });
    expect(JSON.parse(r.body).message).toBe(
      'Job.batch "external" is invalid: status.active: Invalid value: 1: active>0 is invalid for finished job',
    );
    r = await put(done);
    expect(r.status).toBe(200);
    // Finished by the other controller: the TTL controller deletes it a second later.
    await until(
      'the TTL deletion',
      async () => !(await home.ok(['get', 'jobs', '-o', 'name'])).includes('job.batch/external\n'),
      20_000,
    );
  });
});

describe('mutable scheduling directives', () => {
  const manifest = (suspend: boolean, disk: string) =>
    jobManifest(
      'retarget',
      `  suspend: ${suspend}`,
      `      restartPolicy: Never
      nodeSelector: {disk: ${disk}}
      containers:
      - name: c
        image: busybox:1.35
        command: ["true"]`,
    ).replace('  template:\n', `  template:\n    metadata:\n      labels: {disk: ${disk}}\n`);

  it('a suspended Job that never started takes a new nodeSelector and labels, in the update that resumes it; a started one refuses', async () => {
    await home.ok(['apply', '-f', '-'], manifest(true, 'hdd'));
    expect(await home.ok(['apply', '-f', '-'], manifest(true, 'ssd'))).toBe('job.batch/retarget configured\n');
    // The node must carry the label the pods now select, as a cluster's would.
    const node = (await home.ok(['get', 'nodes', '-o', 'name'])).trim();
    await home.ok(['label', node, 'disk=nvme']);
    expect(await home.ok(['apply', '-f', '-'], manifest(false, 'nvme'))).toBe('job.batch/retarget configured\n');
    await home.ok(['wait', '--for=condition=complete', 'job/retarget', '--timeout=60s']);
    const [p] = await pods('retarget');
    expect(p.spec.nodeSelector).toEqual({ disk: 'nvme' });
    expect(p.metadata.labels?.disk).toBe('nvme');
    const refused = await home.jobctl(['apply', '-f', '-'], { stdin: manifest(false, 'tape') });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^The Job "retarget" is invalid: spec\.template: Invalid value: .*: field is immutable\n$/,
    );
    expect((await job('retarget')).spec.template.spec.nodeSelector).toEqual({ disk: 'nvme' });
    await home.ok(['label', node, 'disk-']);
  });
});

describe('termination messages', () => {
  it('FallbackToLogsOnError takes the whole output of a container that fails at once, and logs has all of it', async () => {
    // Ten pods that print two lines and fail at once: before the fix most got an empty message
    // (22 of 31 in one run), the message being read before the output was captured.
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'fastfail',
        '  backoffLimit: 9\n  completions: 10\n  parallelism: 10',
        `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        terminationMessagePolicy: FallbackToLogsOnError
        command: ["sh", "-c", "echo first; echo second; exit 4"]`,
      ),
    );
    await home.ok(['wait', '--for=condition=failed', 'job/fastfail', '--timeout=60s']);
    const ps = await pods('fastfail');
    expect(ps).toHaveLength(10);
    for (const p of ps) {
      expect(p.status?.containerStatuses?.[0].state.terminated).toMatchObject({
        exitCode: 4,
        message: 'first\nsecond',
      });
      expect(await home.ok(['logs', `pod/${p.metadata.name}`])).toBe('first\nsecond\n');
    }
  });
});

describe('event expiry', () => {
  it("events go a TTL after their last write (JOBCTL_EVENT_TTL, default the API server's 1h) while the Job lives on", async () => {
    const short = new Home('500ms');
    short.env.JOBCTL_EVENT_TTL = '3s';
    try {
      await short.ok(
        ['apply', '-f', '-'],
        jobManifest(
          'brief',
          '',
          `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        command: ["true"]`,
        ),
      );
      await short.ok(['wait', '--for=condition=complete', 'job/brief', '--timeout=60s']);
      expect((await short.json<List<Event>>(['get', 'events'])).items.map((e) => e.reason)).toContain('Completed');
      await until(
        'the events to expire',
        async () => (await short.json<List<Event>>(['get', 'events'])).items.length === 0,
        20_000,
      );
      expect(
        (await short.json<Job>(['get', 'job', 'brief'])).status?.conditions?.some((c) => c.type === 'Complete'),
      ).toBe(true);
      expect(await short.ok(['describe', 'job/brief'])).toMatch(/\nEvents: +<none>\n/);
    } finally {
      await short.cleanup();
    }
  });
});

describe('emptyDir.sizeLimit', () => {
  it("a memory-backed emptyDir is a tmpfs of that size, shared by the pod's containers", async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'tmpfs',
        '  backoffLimit: 0',
        `      restartPolicy: Never
      volumes: [{name: scratch, emptyDir: {medium: Memory, sizeLimit: 8Mi}}]
      initContainers:
      - name: fill
        image: busybox:1.35
        volumeMounts: [{name: scratch, mountPath: /scratch}]
        command: ["sh", "-c", "echo from-init > /scratch/note; dd if=/dev/zero of=/scratch/big bs=1M count=20 2>/dev/null; echo dd=$?"]
      containers:
      - name: c
        image: busybox:1.35
        volumeMounts: [{name: scratch, mountPath: /scratch}]
        command: ["sh", "-c", "cat /scratch/note; df -k /scratch | tail -1 | awk '{print $2}'; ls -l /scratch/big | awk '{print $5}'"]`,
      ),
    );
    await home.ok(['wait', '--for=condition=complete', 'job/tmpfs', '--timeout=60s']);
    const [p] = await pods('tmpfs');
    // dd stops at the tmpfs's end: 8 MiB, with an error.
    expect(await home.ok(['logs', `pod/${p.metadata.name}`, '-c', 'fill'])).toBe('dd=1\n');
    const [note, sizeKb, bigBytes] = (await home.ok(['logs', `pod/${p.metadata.name}`])).trim().split('\n');
    expect([note, sizeKb]).toEqual(['from-init', String(8 * 1024)]);
    // The file filled what the note left of the 8 MiB.
    expect(Number(bigBytes)).toBeGreaterThan(8 * 1024 * 1024 - 64 * 1024);
    expect(Number(bigBytes)).toBeLessThanOrEqual(8 * 1024 * 1024);
    const volume = `jobctl-${p.metadata.uid}-scratch`;
    expect((await home.docker(['volume', 'ls', '-q'])).split('\n')).toContain(volume);
    await home.ok(['delete', 'job', 'tmpfs']);
    await until(
      'the volume to go with the pod',
      async () => !(await home.docker(['volume', 'ls', '-q'])).split('\n').includes(volume),
      30_000,
    );
  });

  it("a disk-backed emptyDir that grows past its limit evicts the pod, counted by the Job's policy", async () => {
    const evicting = new Home('500ms');
    evicting.env.JOBCTL_EVICTION_INTERVAL = '500ms';
    try {
      await evicting.ok(
        ['apply', '-f', '-'],
        jobManifest(
          'grow',
          '  backoffLimit: 1',
          `      restartPolicy: Never
      terminationGracePeriodSeconds: 30
      volumes: [{name: cache, emptyDir: {sizeLimit: 4Mi}}]
      containers:
      - name: c
        image: busybox:1.35
        volumeMounts: [{name: cache, mountPath: /cache}]
        command: ["sh", "-c", "dd if=/dev/zero of=/cache/big bs=1M count=6 2>/dev/null; sync; sleep 300"]`,
        ),
      );
      await evicting.ok(['wait', '--for=condition=failed', 'job/grow', '--timeout=60s']);
      const j = await evicting.json<Job>(['get', 'job', 'grow']);
      expect(j.status?.failed).toBe(2);
      expect(j.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
      const ps = (await evicting.json<List<Pod>>(['get', 'pods', '-l', 'job-name=grow'])).items;
      expect(ps).toHaveLength(2);
      const message = 'Usage of EmptyDir volume "cache" exceeds the limit "4Mi". ';
      for (const p of ps) {
        expect(p.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message });
        expect(p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
          status: 'True',
          reason: 'TerminationByKubelet',
          message,
        });
      }
      const evicted = (await evicting.json<List<Event>>(['get', 'events'])).items.filter((e) => e.reason === 'Evicted');
      expect(evicted.map((e) => [e.type, e.message])).toEqual(ps.map(() => ['Warning', message]));
      expect(await evicting.ok(['get', 'pods', '-l', 'job-name=grow', '--no-headers'])).toMatch(
        /^grow-\w{5}\s+0\/1\s+Evicted\s+0\s+\d+s\n/,
      );
    } finally {
      await evicting.cleanup();
    }
  });
});

describe('logs -f', () => {
  it("follows a running container line by line, woken by the kubelet's writes, and ends with it", async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'chatty',
        '',
        `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", "for i in 1 2 3 4; do echo line $i; sleep 0.7; done"]`,
      ),
    );
    const started = Date.now();
    const f = home.background(['logs', '-f', 'job/chatty']);
    const arrivals: number[] = [];
    f.child.stdout!.on('data', () => arrivals.push(Date.now() - started));
    const code = await new Promise<number | null>((r) => f.child.on('close', r));
    expect(code).toBe(0);
    expect(f.output()).toBe('line 1\nline 2\nline 3\nline 4\n');
    // Streamed as printed, not read once at the end: the first line came well before the last.
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThan(1000);
    // Each line as it was written (0.7 s apart), not at the follower's 5 s safety net.
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 1]).toBeLessThan(2500);
  });
});
