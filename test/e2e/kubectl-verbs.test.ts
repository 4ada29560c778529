// The stock kubectl 1.32 against jobctl's server on a real engine, for the verbs of issue 14's
// list that kubectl.test.ts does not drive: server-side apply with a conflict, the protobuf
// `create` subcommands, namespaces and -n, get -w, logs -f and --previous, wait for failed and
// delete, delete orphan, -o yaml|jsonpath|custom-columns.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Job, Pod, Secret } from '../../src/api/index.js';
import { Home, jobYaml, until } from './harness.js';
import { Kubectl } from './kubectl-harness.js';

const home = new Home('500ms');
const kubectl = new Kubectl(home);
beforeAll(() => kubectl.connect());
afterAll(() => home.cleanup());

const run = (args: string[]) => kubectl.run(args);

describe('kubectl 1.32 verbs against jobctl', () => {
  it('create namespace|job|configmap|secret (protobuf bodies), -n, and deleting the namespace', async () => {
    expect(await run(['create', 'namespace', 'team-k'])).toMatchObject({
      code: 0,
      stdout: 'namespace/team-k created\n',
    });
    const made = await run([
      '-n',
      'team-k',
      'create',
      'job',
      'pj',
      '--image=busybox:1.35',
      '--',
      'echo',
      'from protobuf',
    ]);
    expect(made).toMatchObject({ code: 0, stdout: 'job.batch/pj created\n' });
    expect((await run(['-n', 'team-k', 'wait', '--for=condition=complete', 'job/pj', '--timeout=60s'])).stdout).toBe(
      'job.batch/pj condition met\n',
    );
    expect((await run(['-n', 'team-k', 'logs', 'job/pj'])).stdout).toBe('from protobuf\n');
    const job = await home.json<Job>(['get', 'job', 'pj', '-n', 'team-k', '--show-managed-fields']);
    expect(job.spec.template.spec.containers).toMatchObject([
      { name: 'pj', image: 'busybox:1.35', command: ['echo', 'from protobuf'], resources: {} },
    ]);
    expect(job.metadata.managedFields?.map((e) => `${e.manager} ${e.operation}`)).toEqual(['kubectl-create Update']);

    expect((await run(['create', 'configmap', 'pc', '--from-literal=a=1', '--from-literal=b=two'])).stdout).toBe(
      'configmap/pc created\n',
    );
    expect((await home.json<ConfigMap>(['get', 'configmap', 'pc'])).data).toEqual({ a: '1', b: 'two' });
    expect((await run(['create', 'secret', 'generic', 'ps', '--from-literal=p=s3cret'])).stdout).toBe(
      'secret/ps created\n',
    );
    const secret = await home.json<Secret>(['get', 'secret', 'ps']);
    expect([secret.type, Buffer.from(secret.data?.p ?? '', 'base64').toString()]).toEqual(['Opaque', 's3cret']);

    const columns = await run(['get', 'ns', 'team-k', '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase']);
    expect(columns.stdout).toBe('NAME     PHASE\nteam-k   Active\n');
    expect((await run(['get', 'ns', '--no-headers'])).stdout).toMatch(/^team-k\s+Active\s+\d+s$/m);
    const described = await run(['describe', 'ns', 'team-k']);
    expect(described.stdout).toBe(await home.ok(['describe', 'ns', 'team-k']));
    expect(described.stdout).toContain('Status:       Active\n');
    expect(await run(['delete', 'namespace', 'team-k'])).toMatchObject({
      code: 0,
      stdout: 'namespace "team-k" deleted\n',
    });
    expect((await run(['get', 'jobs', '-n', 'team-k'])).stderr).toBe('No resources found in team-k namespace.\n');
    expect((await run(['get', 'ns', 'team-k'])).stderr).toBe(
      'Error from server (NotFound): namespaces "team-k" not found\n',
    );
    const refused = await run(['-n', 'team-k', 'create', 'configmap', 'late', '--from-literal=a=1']);
    expect(refused.stderr).toBe('error: failed to create configmap: namespaces "team-k" not found\n');
  });

  it('apply --server-side owns fields; another manager conflicts until it forces; -o yaml as jobctl prints it', async () => {
    const file = join(home.dir, 'ssa.yaml');
    const manifest = (parallelism: number) =>
      jobYaml('ssa', ['true'], { spec: `  suspend: true\n  parallelism: ${parallelism}\n` }).replace(
        'name: ssa',
        'name: ssa\n  labels: {team: a}',
      );
    writeFileSync(file, manifest(1));
    expect((await run(['apply', '--server-side', '-f', file])).stdout).toBe('job.batch/ssa serverside-applied\n');
    expect((await run(['apply', '--server-side', '-f', file])).stdout).toBe('job.batch/ssa serverside-applied\n');
    writeFileSync(file, manifest(2));
    const dry = await run(['apply', '--server-side', '--dry-run=server', '--force-conflicts', '-f', file]);
    expect(dry.stdout).toBe('job.batch/ssa serverside-applied (server dry run)\n');
    const conflict = await run(['apply', '--server-side', '--field-manager=other', '-f', file]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.parallelism\n',
    );
    expect((await home.json<Job>(['get', 'job', 'ssa'])).spec.parallelism).toBe(1);
    const forced = await run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', file]);
    expect(forced.stdout).toBe('job.batch/ssa serverside-applied\n');
    const managers = await run([
      'get',
      'job',
      'ssa',
      '--show-managed-fields',
      '-o',
      'jsonpath={range .metadata.managedFields[*]}{.manager} {.operation}{"\\n"}{end}',
    ]);
    expect(managers.stdout).toBe('kubectl Apply\nother Apply\n');
    expect((await run(['get', 'job', 'ssa', '-o', 'jsonpath={.spec.parallelism}'])).stdout).toBe('2');
    // Without --show-managed-fields both print the object the same way, byte for byte.
    expect((await run(['get', 'job', 'ssa', '-o', 'yaml'])).stdout).toBe(
      await home.ok(['get', 'job', 'ssa', '-o', 'yaml']),
    );
    expect((await run(['delete', 'job', 'ssa'])).stdout).toBe('job.batch "ssa" deleted\n');
  });

  it('get -w prints the rows as the Job changes; logs -f follows to the end; logs --previous', async () => {
    const watch = kubectl.start(['get', 'jobs', '-w']);
    await home.ok(['apply', '-f', '-'], jobYaml('watched', ['sh', '-c', 'sleep 1']));
    await until('the Complete row', async () => /^watched\s+Complete\s+1\/1\s/m.test(watch.output()), 60_000);
    watch.stop();
    await watch.done;
    expect(watch.output().split('\n')[0]).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
    expect(watch.output()).toMatch(/^watched\s+Running\s+0\/1\s/m);

    await home.ok(['apply', '-f', '-'], jobYaml('follow', ['sh', '-c', 'echo one; sleep 2; echo two']));
    await until('a running pod', async () => (await home.podsOf('follow'))[0]?.status?.phase === 'Running');
    const followed = kubectl.start(['logs', '-f', 'job/follow']);
    expect(await followed.done).toBe(0);
    expect(followed.output()).toBe('one\ntwo\n');

    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('again', ['sh', '-c', 'echo failed run; exit 1'], {
        restartPolicy: 'OnFailure',
        spec: '  backoffLimit: 6\n',
      }),
    );
    const pod = await until('a restarted container', async () => {
      const [p] = await home.podsOf('again');
      return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
    });
    expect((await run(['logs', '--previous', `pod/${pod.metadata.name}`])).stdout).toBe('failed run\n');
    await run(['delete', 'job', 'again', 'watched', 'follow']);
  });

  it('wait for failed and for delete; delete --cascade=orphan leaves the pods', async () => {
    await home.ok(['apply', '-f', '-'], jobYaml('fails', ['sh', '-c', 'exit 2'], { spec: '  backoffLimit: 0\n' }));
    expect((await run(['wait', '--for=condition=failed', 'job/fails', '--timeout=60s'])).stdout).toBe(
      'job.batch/fails condition met\n',
    );
    await run(['delete', 'job', 'fails']);
    // A Job deleted in the foreground stays (Terminating) while its pod takes its grace period.
    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('slowgo', ['sh', '-c', 'trap "" TERM; sleep 300'], { pod: '      terminationGracePeriodSeconds: 4\n' }),
    );
    await until('a running pod', async () => (await home.podsOf('slowgo'))[0]?.status?.phase === 'Running');
    const deleting = await run(['delete', 'job', 'slowgo', '--cascade=foreground', '--wait=false']);
    expect(deleting.stdout).toBe('job.batch "slowgo" deleted\n');
    expect((await run(['wait', '--for=delete', 'job/slowgo', '--timeout=60s'])).stdout).toBe(
      'job.batch/slowgo condition met\n',
    );
    expect((await home.jobctl(['get', 'job', 'slowgo'])).code).toBe(1);

    await home.ok(
      ['apply', '-f', '-'],
      jobYaml('orphan', ['sleep', '300'], { pod: '      terminationGracePeriodSeconds: 1\n' }),
    );
    await until('a pod', async () => (await home.podsOf('orphan')).length === 1);
    expect((await run(['delete', 'job', 'orphan', '--cascade=orphan'])).stdout).toBe('job.batch "orphan" deleted\n');
    expect((await home.jobctl(['get', 'job', 'orphan'])).code).toBe(1);
    const [left] = await home.podsOf('orphan');
    expect(left.metadata.ownerReferences ?? []).toEqual([]);
    expect((left as Pod).metadata.deletionTimestamp).toBeUndefined();
    expect((await run(['delete', 'pod', left.metadata.name ?? ''])).stdout).toBe(
      `pod "${left.metadata.name}" deleted\n`,
    );
  });
});
