// The whole Job API and pods as people write them, on the real engine (issue 4).
import { statfsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/index.js';
import { Home, jobYaml, jobManifest, PODMAN, sleep, until } from './harness.js';

const home = new Home('500ms');
afterAll(() => home.cleanup());

const pods = (job: string) => home.podsOf(job);
const job = (name: string) => home.getJob(name);
/** statfs's type of a tmpfs: /sys/fs/cgroup is one on cgroup v1, cgroup2fs on v2. */
const TMPFS_MAGIC = 0x01021994;
const waitFor = (cond: string, name: string, timeout = '90s') =>
  home.ok(['wait', `--for=condition=${cond}`, `job/${name}`, `--timeout=${timeout}`]);

describe('the Job API on the real engine', () => {
  it('an Indexed job: each pod prints its index and hostname', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'idx',
        '  completionMode: Indexed\n  completions: 3\n  parallelism: 3',
        `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", "echo index=$JOB_COMPLETION_INDEX host=$(hostname)"]`,
      ),
    );
    await waitFor('complete', 'idx');
    const ps = await pods('idx');
    expect(ps).toHaveLength(3);
    const lines = await Promise.all(ps.map((p) => home.ok(['logs', `pod/${p.metadata.name}`])));
    expect(lines.sort()).toEqual(['index=0 host=idx-0\n', 'index=1 host=idx-1\n', 'index=2 host=idx-2\n']);
    for (const p of ps)
      expect(p.metadata.name).toMatch(
        new RegExp(
          `^idx-${p.metadata.labels!['batch.kubernetes.io/job-completion-index']}-[bcdfghjklmnpqrstvwxz2456789]{5}$`,
        ),
      );
    expect((await job('idx')).status?.completedIndexes).toBe('0-2');
    expect(await home.ok(['describe', 'job/idx'])).toMatch(/\nCompleted Indexes: +0-2\n/);
  });

  it('podFailurePolicy FailJob on exit 42 after one pod, with the exact message', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'failjob',
        '  backoffLimit: 6\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {containerName: main, operator: In, values: [42]}',
        `      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.35
        command: ["sh", "-c", "exit 42"]`,
      ),
    );
    await waitFor('failed', 'failjob');
    const ps = await pods('failjob');
    expect(ps).toHaveLength(1);
    const failed = (await job('failjob')).status?.conditions?.find((c) => c.type === 'Failed');
    expect(failed).toMatchObject({
      reason: 'PodFailurePolicy',
      message: `Container main for pod default/${ps[0].metadata.name} failed with exit code 42 matching FailJob rule at index 0`,
    });
  });

  it('podFailurePolicy Ignore keeps a backoffLimit-0 job alive', async () => {
    // Fails with 3 the first time (ignored), succeeds on a retry: the marker lives on a hostPath.
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'ignore',
        '  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes: {operator: In, values: [3]}',
        `      restartPolicy: Never
      volumes:
      - name: state
        hostPath: {path: ${home.dir}, type: Directory}
      containers:
      - name: main
        image: busybox:1.35
        volumeMounts: [{name: state, mountPath: /state}]
        command: ["sh", "-c", "if [ -e /state/ignore-marker ]; then echo second; exit 0; fi; touch /state/ignore-marker; exit 3"]`,
      ),
    );
    await waitFor('complete', 'ignore');
    const j = await job('ignore');
    expect(j.status?.failed).toBeUndefined();
    expect(j.status?.succeeded).toBe(1);
    expect(await pods('ignore')).toHaveLength(2);
  });

  it('successPolicy ends a three-pod race after the first success and stops the others', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'race3',
        '  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n  successPolicy:\n    rules:\n    - succeededCount: 1',
        `      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", "if [ $JOB_COMPLETION_INDEX = 1 ]; then sleep 1; echo winner; else sleep 120; fi"]`,
      ),
    );
    await waitFor('complete', 'race3', '60s');
    const j = await job('race3');
    expect(j.status?.conditions?.map((c) => `${c.type}:${c.reason}`)).toEqual([
      'SuccessCriteriaMet:SuccessPolicy',
      'Complete:SuccessPolicy',
    ]);
    expect(j.status?.conditions?.[1].message).toBe('Matched rules at index 0');
    expect(j.status?.succeeded).toBe(1);
    expect(j.status?.failed).toBeUndefined();
    expect(j.status?.completedIndexes).toBe('1');
    await until(
      'the losers to stop',
      async () => (await pods('race3')).every((p) => p.status?.phase !== 'Running'),
      20_000,
    );
  });

  it('backoffLimitPerIndex ends with failedIndexes 1,3', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'perindex',
        '  completionMode: Indexed\n  completions: 4\n  parallelism: 4\n  backoffLimitPerIndex: 1',
        `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", "case $JOB_COMPLETION_INDEX in 1|3) exit 1;; esac; echo ok"]`,
      ),
    );
    await waitFor('failed', 'perindex');
    const j = await job('perindex');
    expect(j.status).toMatchObject({ failedIndexes: '1,3', completedIndexes: '0,2', failed: 4, succeeded: 2 });
    expect(j.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      reason: 'FailedIndexes',
      message: 'Job has failed indexes',
    });
    const retries = (await pods('perindex')).filter(
      (p) => p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'] === '1',
    );
    expect(retries.map((p) => p.metadata.labels!['batch.kubernetes.io/job-completion-index']).sort()).toEqual([
      '1',
      '3',
    ]);
  });

  it('a suspended job has no pods until resumed by apply; patch suspends it again', async () => {
    const y = (suspend: boolean) =>
      jobManifest(
        'susp',
        `  suspend: ${suspend}`,
        `      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        command: ["sleep", "60"]`,
      );
    await home.ok(['apply', '-f', '-'], y(true));
    await sleep(1500);
    expect(await pods('susp')).toHaveLength(0);
    let j = await job('susp');
    expect(j.status?.startTime).toBeUndefined();
    expect(await home.ok(['get', 'job', 'susp', '--no-headers'])).toMatch(/^susp\s+Suspended\s+0\/1\s{3,}\d+s/);
    expect(await home.ok(['apply', '-f', '-'], y(false))).toBe('job.batch/susp configured\n');
    await until('a running pod', async () => (await pods('susp')).some((p) => p.status?.phase === 'Running'));
    j = await job('susp');
    expect(j.status?.conditions?.find((c) => c.type === 'Suspended')).toMatchObject({
      status: 'False',
      reason: 'JobResumed',
    });
    expect(await home.ok(['patch', 'job', 'susp', '--type=merge', '-p', '{"spec":{"suspend":true}}'])).toBe(
      'job.batch/susp patched\n',
    );
    await until(
      'no active pods',
      async () =>
        ((await job('susp')).status?.active ?? 0) === 0 &&
        (await pods('susp')).every((p) => p.status?.phase !== 'Running'),
    );
    j = await job('susp');
    expect(j.status?.failed).toBeUndefined();
    expect(await home.ok(['describe', 'job/susp'])).toMatch(
      /Normal\s+Suspended\s+.*Job suspended[\s\S]*Normal\s+Resumed\s+.*Job resumed/,
    );
    await home.ok(['delete', 'job', 'susp']);
  });

  it('a fail-once script succeeds on its in-place restart thanks to an emptyDir', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'failonce',
        '  backoffLimit: 3',
        `      restartPolicy: OnFailure
      volumes: [{name: scratch, emptyDir: {}}]
      containers:
      - name: c
        image: busybox:1.35
        volumeMounts: [{name: scratch, mountPath: /scratch}]
        command: ["sh", "-c", "if [ -e /scratch/tried ]; then echo recovered; exit 0; fi; touch /scratch/tried; echo first; exit 1"]`,
      ),
    );
    await waitFor('complete', 'failonce');
    const [p] = await pods('failonce');
    expect(p.status?.containerStatuses?.[0].restartCount).toBe(1);
    expect(await home.ok(['logs', `pod/${p.metadata.name}`])).toBe('recovered\n');
    expect(await home.ok(['logs', `pod/${p.metadata.name}`, '--previous'])).toBe('first\n');
  });

  it('an init container prepares a file for the app container', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'init',
        '',
        `      restartPolicy: Never
      volumes: [{name: work, emptyDir: {}}]
      initContainers:
      - name: prepare
        image: busybox:1.35
        volumeMounts: [{name: work, mountPath: /work}]
        command: ["sh", "-c", "echo prepared-by-init > /work/input"]
      containers:
      - name: main
        image: busybox:1.35
        volumeMounts: [{name: work, mountPath: /work}]
        command: ["cat", "/work/input"]`,
      ),
    );
    await waitFor('complete', 'init');
    const [p] = await pods('init');
    expect(await home.ok(['logs', `pod/${p.metadata.name}`])).toBe('prepared-by-init\n');
    expect(await home.ok(['logs', `pod/${p.metadata.name}`, '-c', 'prepare'])).toBe('');
    expect(p.status?.initContainerStatuses?.[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('an init container that fails shows Init:Error and fails the pod (Never)', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'initfail',
        '  backoffLimit: 0',
        `      restartPolicy: Never
      initContainers:
      - name: prepare
        image: busybox:1.35
        command: ["sh", "-c", "exit 7"]
      containers:
      - name: main
        image: busybox:1.35
        command: ["true"]`,
      ),
    );
    await waitFor('failed', 'initfail');
    expect(await home.ok(['get', 'pods', '-l', 'job-name=initfail', '--no-headers'])).toMatch(/\s0\/1\s+Init:Error\s/);
  });

  it('envFrom a ConfigMap, env from a Secret, and both as volumes', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {MODE: fast, LEVEL: "3"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: hunter2}
`,
    );
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'envfrom',
        '',
        `      restartPolicy: Never
      volumes:
      - {name: cfg, configMap: {name: settings}}
      - {name: sec, secret: {secretName: creds, defaultMode: 0400}}
      containers:
      - name: c
        image: busybox:1.35
        envFrom: [{configMapRef: {name: settings}, prefix: APP_}]
        env: [{name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}]
        volumeMounts: [{name: cfg, mountPath: /etc/cfg}, {name: sec, mountPath: /etc/sec}]
        command: ["sh", "-c", "echo $APP_MODE $APP_LEVEL $PASSWORD $(cat /etc/cfg/MODE) $(cat /etc/sec/password) $(stat -c %a /etc/sec/password)"]`,
      ),
    );
    await waitFor('complete', 'envfrom');
    expect(await home.ok(['logs', 'job/envfrom'])).toBe('fast 3 hunter2 fast hunter2 400\n');
    expect(await home.ok(['get', 'secret', 'creds', '-o', 'jsonpath={.data.password}'])).toBe(
      Buffer.from('hunter2').toString('base64'),
    );
  });

  it('a missing ConfigMap reference waits with CreateContainerConfigError', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'missingcm',
        '',
        `      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.35
        env: [{name: X, valueFrom: {configMapKeyRef: {name: nowhere, key: x}}}]
        command: ["true"]`,
      ),
    );
    await until(
      'CreateContainerConfigError',
      async () =>
        /CreateContainerConfigError/.test(await home.ok(['get', 'pods', '-l', 'job-name=missingcm', '--no-headers'])),
      30_000,
    );
    await home.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nowhere}\ndata: {x: "1"}\n');
    await waitFor('complete', 'missingcm', '60s');
  });

  it('containers of one pod share localhost', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'pair',
        '',
        `      restartPolicy: Never
      containers:
      - name: server
        image: busybox:1.35
        command: ["sh", "-c", "echo hello-from-server | nc -l -p 7777"]
      - name: client
        image: busybox:1.35
        command: ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do nc 127.0.0.1 7777 && exit 0; sleep 0.5; done; exit 1"]`,
      ),
    );
    await waitFor('complete', 'pair', '60s');
    expect(await home.ok(['logs', 'job/pair', '-c', 'client'])).toBe('hello-from-server\n');
  });

  it("deleting a job's pod counts as a failure and the pod is replaced", async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'replace',
        '  backoffLimit: 3',
        `      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        command: ["sleep", "60"]`,
      ),
    );
    const first = await until('a running pod', async () =>
      (await pods('replace')).find((p) => p.status?.phase === 'Running'),
    );
    expect(await home.ok(['delete', 'pod', first.metadata.name!])).toBe(`pod "${first.metadata.name}" deleted\n`);
    await until(
      'a replacement',
      async () =>
        (await pods('replace')).some((p) => p.metadata.name !== first.metadata.name && p.status?.phase === 'Running'),
      30_000,
    );
    expect((await job('replace')).status?.failed).toBe(1);
    await home.ok(['delete', 'job', 'replace']);
  });

  it('pods of a deleted job get DisruptionTarget while they stop', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobManifest(
        'disrupt',
        '',
        `      restartPolicy: Never
      terminationGracePeriodSeconds: 3
      containers:
      - name: c
        image: busybox:1.35
        command: ["sleep", "60"]`,
      ),
    );
    const p = await until('a running pod', async () =>
      (await pods('disrupt')).find((x) => x.status?.phase === 'Running'),
    );
    await home.ok(['delete', 'job', 'disrupt']);
    const stopping = await until(
      'the pod to be marked',
      async () => {
        const r = await home.jobctl(['get', 'pod', p.metadata.name!, '-o', 'json']);
        return (
          r.code === 0 && (JSON.parse(r.stdout) as Pod).status?.conditions?.find((c) => c.type === 'DisruptionTarget')
        );
      },
      10_000,
      100,
    );
    expect(stopping).toMatchObject({ status: 'True', reason: 'DeletionByPodGC' });
  });

  it('ConfigMaps are updated by apply; describe shows Secret sizes, never values', async () => {
    await home.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tune}\ndata: {a: "1"}\n');
    expect(
      await home.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tune}\ndata: {a: "2"}\n'),
    ).toBe('configmap/tune configured\n');
    expect(await home.ok(['get', 'configmap', 'tune', '-o', 'jsonpath={.data.a}'])).toBe('2');
    expect(await home.ok(['describe', 'configmap', 'tune'])).toContain('Data\n====\na:\n----\n2\n');
    await home.ok(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Secret\nmetadata: {name: topsecret}\nstringData: {token: s3cr3t-value}\n',
    );
    const d = await home.ok(['describe', 'secret', 'topsecret']);
    expect(d).toMatch(/token: +12 bytes/);
    expect(d).not.toContain('s3cr3t');
    expect(await home.ok(['get', 'secret', 'topsecret', '-o', 'yaml'])).not.toContain('s3cr3t-value');
    expect(await home.ok(['delete', 'secret', 'topsecret'])).toBe('secret "topsecret" deleted\n');
  });

  it('securityContext, downward API, resourceFieldRef, workingDir and the termination message', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      `apiVersion: batch/v1
kind: Job
metadata:
  name: secctx
  labels: {team: blue}
spec:
  backoffLimit: 0
  template:
    metadata:
      labels: {team: blue}
    spec:
      restartPolicy: Never
      securityContext: {runAsUser: 1000, runAsGroup: 3000}
      volumes:
      - name: info
        downwardAPI:
          items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
      containers:
      - name: c
        image: busybox:1.35
        workingDir: /tmp
        securityContext: {readOnlyRootFilesystem: true}
        resources: {limits: {cpu: 250m, memory: 64Mi}}
        env:
        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
        volumeMounts: [{name: info, mountPath: /etc/podinfo}]
        command: ["sh", "-c", "echo $(id -u):$(id -g) $(pwd) $MEM $POD_NAME; grep -c team /etc/podinfo/labels; touch /x 2>/dev/null || echo read-only; echo 'it broke' > /dev/termination-log; exit 2"]`,
    );
    await waitFor('failed', 'secctx');
    const [p] = await pods('secctx');
    const log = await home.ok(['logs', `pod/${p.metadata.name}`]);
    expect(log).toBe(`1000:3000 /tmp 64 ${p.metadata.name}\n1\nread-only\n`);
    expect(p.status?.containerStatuses?.[0].state.terminated).toMatchObject({
      exitCode: 2,
      reason: 'Error',
      message: 'it broke',
    });
  });

  it('a container over its memory limit is OOMKilled: exit 137, reason OOMKilled (as the engine reports it), the Job counts a failure', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('hungry', ['sh', '-c', 'echo start; exec dd if=/dev/zero of=/dev/null bs=128M count=1'], {
        spec: '  backoffLimit: 0\n',
        container: '        resources: {limits: {memory: 16Mi}}\n',
      }),
    );
    await waitFor('failed', 'hungry');
    const [p] = await pods('hungry');
    // Podman 4.3 on cgroup v1 reports no OOM kill (src/runtime/docker/podman.ts): the engine's word stands.
    const reason = PODMAN && statfsSync('/sys/fs/cgroup').type === TMPFS_MAGIC ? 'Error' : 'OOMKilled';
    expect(p.status?.containerStatuses?.[0].state.terminated).toMatchObject({ exitCode: 137, reason });
    expect(await home.ok(['logs', `pod/${p.metadata.name}`])).toBe('start\n');
  });
});
