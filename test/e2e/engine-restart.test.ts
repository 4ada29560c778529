// The engine stopped mid-Job and started again (issue 17, item 5), on a private dockerd (its own
// socket and data root) so the machine's engine and the other tests are untouched. Stopped as
// `systemctl stop docker` does (SIGTERM: the engine stops its containers, then exits), the node
// goes NotReady; started again, the node is Ready, every Job ends exactly as its manifest says
// (the containers the engine stopped count as failures for Never, as restarts for OnFailure), and
// nothing is left on the engine once the Jobs are deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Node, Pod } from '../../src/api/index.js';
import { PrivateDockerd } from './private-engine.js';
import { Home, jobYaml, until, type List } from './harness.js';

const engine = new PrivateDockerd();
const home = new Home('500ms');

beforeAll(async () => {
  await engine.start();
  engine.loadImages('busybox:1.35');
  Object.assign(home.env, { DOCKER_HOST: engine.host });
  delete home.env.DOCKER_CONTEXT;
}, 120_000);

afterAll(async () => {
  await home.cleanup();
  await engine.destroy();
}, 120_000);

// Exits 143 at once on SIGTERM (a shell as PID 1 would otherwise wait out the engine's 10 s).
const work = (seconds: number) => ['sh', '-c', `trap 'exit 143' TERM; sleep ${seconds} & wait $!`];

const job = (name: string) => home.json<Job>(['get', 'job', name]);
const condition = (j: Job) =>
  j.status?.conditions?.find((c) => c.status === 'True' && ['Complete', 'Failed'].includes(c.type));
const nodeReady = async () =>
  (await home.json<List<Node>>(['get', 'nodes'])).items[0].status?.conditions?.find((c) => c.type === 'Ready')?.status;

describe('an engine stopped mid-Job and started again', () => {
  it('every Job ends as its manifest dictates, the node was NotReady meanwhile, and nothing is orphaned', async () => {
    await home.ok(
      ['apply', '-f', '-'],
      [
        jobYaml('steady', work(4), { spec: '  completions: 3\n  parallelism: 1\n  backoffLimit: 6\n' }),
        jobYaml('restarts', work(4), { spec: '  backoffLimit: 6\n', restartPolicy: 'OnFailure' }),
        jobYaml('strict', work(60), { spec: '  backoffLimit: 0\n' }),
      ].join('---\n'),
    );
    // One container of each Job running on the private engine.
    await until('the three Jobs running', async () => {
      const running = await home.docker(['ps', '-q', '--filter', `label=io.jobctl.instance=${home.instanceId()}`]);
      return running.split('\n').filter(Boolean).length === 3;
    });
    await engine.stop();
    await until('the node NotReady', async () => (await nodeReady()) === 'False', 30_000, 500);
    await engine.start();
    await until('the node Ready again', async () => (await nodeReady()) === 'True', 30_000, 500);

    const ended = async (name: string) => until(`${name} to end`, async () => condition(await job(name)), 90_000, 500);
    const [steady, restarts, strict] = [await ended('steady'), await ended('restarts'), await ended('strict')];
    expect(steady).toMatchObject({ type: 'Complete' });
    const s = await job('steady');
    expect(s.status).toMatchObject({ succeeded: 3 });
    expect(s.status?.failed).toBeGreaterThanOrEqual(1); // the pod the engine stopped
    expect(restarts).toMatchObject({ type: 'Complete' });
    const [r] = (await home.json<List<Pod>>(['get', 'pods', '-l', 'job-name=restarts'])).items;
    expect(r.status?.containerStatuses?.[0].restartCount).toBeGreaterThanOrEqual(1);
    expect((await job('restarts')).status).toMatchObject({ succeeded: 1 });
    expect(strict).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });

    // Nothing orphaned: every container on the engine belongs to a pod the API knows, and once
    // the Jobs are deleted, none is left.
    const pods = (await home.json<List<Pod>>(['get', 'pods'])).items.map((p) => p.metadata.name);
    const owners = await home.docker(['ps', '-a', '--format', '{{.Label "io.kubernetes.pod.name"}}']);
    for (const owner of owners.split('\n').filter(Boolean)) expect(pods).toContain(owner);
    await home.ok(['delete', 'jobs', '--all']);
    await until('no container left', async () => (await home.docker(['ps', '-aq'])).trim() === '', 60_000, 500);
    expect((await home.docker(['volume', 'ls', '-q'])).trim()).toBe('');
  }, 240_000);
});
