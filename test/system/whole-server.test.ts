// The whole server on the simulated runtime, with no engine reachable: apply → Job controller →
// kubelet → pod status → wait, logs, describe. The fast tier's proof that the pieces fit; the
// end-to-end tests on the real engine remain the proof that features work on containers.
import { afterAll, describe, expect, it } from 'vitest';

import { Home, jobManifest, until } from '../e2e/harness.js';

const home = new Home('500ms', { runtime: 'simulated' });
afterAll(() => home.cleanup());

const job = (name: string) => home.getJob(name);
const pods = (job: string) => home.podsOf(job);
const pod = (command: string, restartPolicy = 'Never', annotations = '') =>
  `${annotations ? `    metadata:\n      annotations: ${annotations}\n` : ''}    spec:
      restartPolicy: ${restartPolicy}
      containers:
      - name: c
        image: busybox:1.35
        command: ${command}`;
/** A manifest whose template has annotations needs them under `template.metadata`. */
const manifest = (name: string, spec: string, body: string) =>
  jobManifest(name, spec, '').replace('  template:\n    spec:\n\n', `  template:\n${body}\n`);

describe('the whole server on the simulated runtime', () => {
  it('answers discovery from the resource table, over TLS with its CA and the token', async () => {
    await home.ok(['get', 'jobs']);
    const get = async (path: string) => {
      const r = await home.api('GET', path);
      expect(r.status).toBe(200);
      return JSON.parse(r.body);
    };
    expect(await get('/api')).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const batch = { groupVersion: 'batch/v1', version: 'v1' };
    const metrics = { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' };
    expect(await get('/apis')).toEqual({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        { name: 'batch', versions: [batch], preferredVersion: batch },
        { name: 'metrics.k8s.io', versions: [metrics], preferredVersion: metrics },
      ],
    });
    expect(await get('/apis/batch')).toMatchObject({ kind: 'APIGroup', name: 'batch' });
    const v1 = await get('/api/v1');
    const byName = new Map(v1.resources.map((r: { name: string }) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual([
      'configmaps',
      'events',
      'namespaces',
      'nodes',
      'nodes/status',
      'pods',
      'pods/attach',
      'pods/exec',
      'pods/log',
      'secrets',
    ]);
    expect(byName.get('pods')).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['delete', 'get', 'list', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
    });
    const jobs = (await get('/apis/batch/v1')).resources;
    expect(jobs.map((r: { name: string; verbs: string[] }) => `${r.name} ${r.verbs.join(',')}`)).toEqual([
      'jobs create,delete,get,list,patch,update,watch',
      'jobs/status get,patch,update',
    ]);
    expect((await home.api('GET', '/apis/apps')).status).toBe(404);
    expect((await home.api('GET', '/apis/batch/v2')).status).toBe(404);
  });

  it("answers kubectl's first discovery request in the aggregated form, the same resources", async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const get = async (path: string) => {
      const r = await home.api('GET', path, undefined, { Accept: accept });
      expect(r.status).toBe(200);
      return JSON.parse(r.body);
    };
    const core = await get('/api');
    expect(core).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const [coreGroup] = core.items;
    expect(coreGroup.versions.map((v: { version: string }) => v.version)).toEqual(['v1']);
    const pods = coreGroup.versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
    expect(pods).toEqual({
      resource: 'pods',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: ['delete', 'get', 'list', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        {
          subresource: 'attach',
          responseKind: { group: '', version: 'v1', kind: 'PodAttachOptions' },
          verbs: ['create', 'get'],
        },
        {
          subresource: 'exec',
          responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' },
          verbs: ['create', 'get'],
        },
        { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
      ],
    });
    const named = await get('/apis');
    expect(named.items.map((g: { metadata: { name: string } }) => g.metadata.name)).toEqual([
      'batch',
      'metrics.k8s.io',
    ]);
    const jobs = named.items[0].versions[0].resources[0];
    expect(`${jobs.resource} ${jobs.scope} ${jobs.verbs.join(',')}`).toBe(
      'jobs Namespaced create,delete,get,list,patch,update,watch',
    );
    expect(jobs.subresources.map((s: { subresource: string }) => s.subresource)).toEqual(['status']);
    const metrics = named.items[1].versions[0].resources;
    expect(metrics.map((r: { resource: string; scope: string }) => `${r.resource} ${r.scope}`)).toEqual([
      'nodes Cluster',
      'pods Namespaced',
    ]);
    // Without that Accept, the legacy form (older clients, and kubectl's fallback).
    expect(JSON.parse((await home.api('GET', '/apis')).body).kind).toBe('APIGroupList');
  });

  it('has no node metrics with the simulated engine: the node is no machine to measure', async () => {
    const list = await home.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(JSON.parse(list.body)).toMatchObject({ kind: 'NodeMetricsList', items: [] });
    const node = (await home.ok(['get', 'nodes', '-o', 'name'])).trim().replace('node/', '');
    const one = await home.api('GET', `/apis/metrics.k8s.io/v1beta1/nodes/${node}`);
    expect(one.status).toBe(404);
    expect(JSON.parse(one.body).message).toBe(`nodemetrics.metrics.k8s.io "${node}" not found`);
    expect(await home.jobctl(['top', 'node'])).toMatchObject({ code: 1, stderr: 'error: metrics not available yet\n' });
  });

  it('a watch without resourceVersion starts from the current objects; timeoutSeconds ends it', async () => {
    const cm = (name: string, v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${v}"}\n`;
    await home.ok(['apply', '-f', '-'], cm('w1', '1'));
    await home.ok(['apply', '-f', '-'], cm('w1', '2'));
    await home.ok(['apply', '-f', '-'], cm('w2', '1'));
    const started = Date.now();
    const r = await home.api('GET', '/api/v1/namespaces/default/configmaps?watch=True&timeoutSeconds=1');
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const events = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string }; data: { v: string } } })
      .filter((e) => e.object.metadata.name.startsWith('w'));
    // One ADDED per object as it is now: not the history (w1's first version, its change).
    expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.data.v}`)).toEqual([
      'ADDED w1 2',
      'ADDED w2 1',
    ]);
  });

  it('field selectors name only the fields Kubernetes selects on; status.phase among them', async () => {
    await home.ok(['apply', '-f', '-'], manifest('phases', '', pod('["true"]')));
    await home.ok(['wait', '--for=condition=complete', 'job/phases', '--timeout=30s']);
    const list = async (path: string) => {
      const r = await home.api('GET', path);
      return { status: r.status, body: JSON.parse(r.body) };
    };
    const names = (l: { body: { items: { metadata: { name: string } }[] } }) =>
      l.body.items.map((i) => i.metadata.name);
    const done = await list('/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DSucceeded');
    expect(names(done).some((n: string) => n.startsWith('phases-'))).toBe(true);
    const running = await list('/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DRunning');
    expect(names(running).some((n: string) => n.startsWith('phases-'))).toBe(false);
    const jobs = await list('/apis/batch/v1/namespaces/default/jobs?fieldSelector=status.successful%3D1');
    expect(names(jobs)).toContain('phases');
    const events = await list(
      '/api/v1/namespaces/default/events?fieldSelector=source%3Djob-controller,reason%3DCompleted',
    );
    expect(events.body.items.map((e: { involvedObject: { name: string } }) => e.involvedObject.name)).toContain(
      'phases',
    );
    expect(await list('/api/v1/namespaces/default/pods?fieldSelector=spec.image%3Dx')).toMatchObject({
      status: 400,
      body: { reason: 'BadRequest', message: 'field label not supported: spec.image' },
    });
    expect(await list('/api/v1/namespaces/default/configmaps?fieldSelector=data.x%3Dy')).toMatchObject({
      status: 400,
      body: { message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"' },
    });
  });

  it('a dry-run delete removes nothing; a watch that allows bookmarks gets one before its timeout', async () => {
    await home.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\n');
    const path = '/api/v1/namespaces/default/configmaps/kept';
    const dry = await home.api('DELETE', `${path}?dryRun=All`);
    expect(dry.status).toBe(200);
    const inBody = await home.api('DELETE', path, JSON.stringify({ dryRun: ['All'] }), {
      'Content-Type': 'application/json',
    });
    expect(inBody.status).toBe(200);
    expect((await home.api('GET', path)).status).toBe(200);
    const bad = await home.api('DELETE', `${path}?dryRun=Some`);
    expect(JSON.parse(bad.body).message).toBe('dryRun: Unsupported value: "Some": supported values: "All"');
    expect((await home.api('GET', path)).status).toBe(200);

    const list = JSON.parse((await home.api('GET', '/api/v1/namespaces/default/configmaps')).body);
    const rv = list.metadata.resourceVersion;
    const w = await home.api(
      'GET',
      `/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=1`,
    );
    const last = JSON.parse(w.body.trim().split('\n').pop()!);
    expect(last.type).toBe('BOOKMARK');
    expect(last.object.kind).toBe('ConfigMap');
    expect(Number(last.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
  });

  it('deleting a namespace stops and removes its running Job, pods, ConfigMaps and events, then it', async () => {
    await home.ok(['create', 'namespace', 'doomed']);
    const annotations = '{sim.jobctl.io/duration: 3600s}';
    await home.ok(
      ['apply', '-n', 'doomed', '-f', '-'],
      manifest('long', '  parallelism: 2\n  completions: 4', pod('["sleep", "3600"]', 'Never', annotations)),
    );
    await home.ok(['apply', '-n', 'doomed', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    await until('two running pods', async () => (await home.podsOf('long', 'doomed')).length === 2);
    expect(await home.ok(['delete', 'ns', 'doomed'])).toBe('namespace "doomed" deleted\n');
    for (const kind of ['jobs', 'pods', 'configmaps', 'events']) {
      expect((await home.jobctl(['get', kind, '-n', 'doomed'])).stderr).toBe(
        'No resources found in doomed namespace.\n',
      );
    }
    expect(await home.ok(['get', 'ns', '-o', 'name'])).not.toContain('doomed');
  });

  it('create -f of a Job with generateName: the server names it', async () => {
    const manifest = jobManifest(
      'x',
      '',
      '      restartPolicy: Never\n      containers: [{name: c, image: busybox:1.35}]',
    ).replace('  name: x', '  generateName: batch-');
    const made = await home.ok(['create', '-f', '-'], manifest);
    expect(made).toMatch(/^job\.batch\/batch-[a-z0-9]{5} created\n$/);
    const name = made.split(' ')[0].split('/')[1];
    expect((await job(name)).metadata.generateName).toBe('batch-');
    // apply would make a new Job each time: refused, as kubectl does.
    const applied = await home.jobctl(['apply', '-f', '-'], { stdin: manifest });
    expect([applied.code, applied.stderr]).toEqual([1, 'error: from batch-: cannot use generate name with apply\n']);
  });

  it("runs the chapter's first Job: apply, wait, logs, get, describe", async () => {
    await home.ok(['apply', '-f', 'fixtures/hello-world-job.yaml']);
    expect(await home.ok(['wait', '--for=condition=complete', 'job/hello-world-job', '--timeout=30s'])).toBe(
      'job.batch/hello-world-job condition met\n',
    );
    expect(await home.ok(['logs', 'job/hello-world-job'])).toBe('Hello, Jobs!\n');
    expect(await home.ok(['get', 'job', 'hello-world-job', '--no-headers'])).toMatch(
      /^hello-world-job\s+Complete\s+1\/1\s+/,
    );
    const [p] = await pods('hello-world-job');
    expect(p.status?.containerStatuses?.[0].containerID).toMatch(/^simulated:\/\/[0-9a-f]{64}$/);
    expect(await home.ok(['describe', 'job/hello-world-job'])).toMatch(
      /Normal\s+Completed\s+.*job-controller\s+Job completed/,
    );
  });

  it('a failing Job retries with back-off and fails with BackoffLimitExceeded', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      manifest('fails', '  backoffLimit: 2', pod('["sh", "-c", "echo trying; exit 3"]')),
    );
    await home.ok(['wait', '--for=condition=failed', 'job/fails', '--timeout=30s']);
    const j = await job('fails');
    expect(j.status?.failed).toBe(3);
    expect(j.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    const ps = await pods('fails');
    expect(ps.map((p) => p.status?.containerStatuses?.[0].state.terminated?.exitCode)).toEqual([3, 3, 3]);
  });

  it('an Indexed Job of short pods, their durations and outputs from annotations', async () => {
    const annotations = '{sim.jobctl.io/duration: 10ms-60ms, sim.jobctl.io/output: done}';
    await home.ok(
      ['apply', '-f', '-'],
      manifest(
        'many',
        '  completionMode: Indexed\n  completions: 20\n  parallelism: 5',
        pod('["true"]', 'Never', annotations),
      ),
    );
    await home.ok(['wait', '--for=condition=complete', 'job/many', '--timeout=30s']);
    expect((await job('many')).status).toMatchObject({ succeeded: 20, completedIndexes: '0-19' });
    const ps = await pods('many');
    expect(ps).toHaveLength(20);
    expect(await home.ok(['logs', `pod/${ps[0].metadata.name}`])).toBe('done\n');
  });

  it('OnFailure restarts the container with crash-loop back-off until backoffLimit', async () => {
    await home.ok(['apply', '-f', '-'], manifest('loops', '  backoffLimit: 2', pod('["false"]', 'OnFailure')));
    await home.ok(['wait', '--for=condition=failed', 'job/loops', '--timeout=30s']);
    const j = await job('loops');
    expect(j.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
  });

  it('activeDeadlineSeconds stops a long pod and fails the Job', async () => {
    await home.ok(['apply', '-f', '-'], manifest('slow', '  activeDeadlineSeconds: 1', pod('["sleep", "60"]')));
    await home.ok(['wait', '--for=condition=failed', 'job/slow', '--timeout=30s']);
    expect((await job('slow')).status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('DeadlineExceeded');
  });

  it('lowering parallelism removes pods without counting them', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      manifest('shrink', '  completions: 6\n  parallelism: 4\n  backoffLimit: 0', pod('["sleep", "60"]')),
    );
    await until('four active', async () => (await job('shrink')).status?.active === 4, 20_000);
    await home.ok(['patch', 'job', 'shrink', '--type=merge', '-p', '{"spec":{"parallelism":1}}']);
    await until('one active', async () => (await pods('shrink')).length === 1, 20_000);
    const j = await job('shrink');
    expect(j.status?.failed).toBeUndefined();
    expect(j.status?.conditions ?? []).toEqual([]);
    await home.ok(['delete', 'job', 'shrink']);
  });
});
