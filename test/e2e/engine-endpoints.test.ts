// The engine the docker CLI would use, over every transport it offers (issue 17): a private dockerd
// listening on 127.0.0.1 with TLS certificates made here, reached by DOCKER_HOST=tcp:// with
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, and by a docker context holding the same TLS material;
// the same engine through ssh:// (an sshd on 127.0.0.1 with a key made here, running
// `docker system dial-stdio` there); and a DOCKER_HOST that answers nothing. The docker CLI, given
// the same environment, is the oracle for which engine that is. All traffic stays on loopback.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/api/index.js';
import { freePort, PrivateDockerd, PrivateSshd } from './private-engine.js';
import { Home, jobYaml, type List } from './harness.js';

const engine = new PrivateDockerd();
const sshd = new PrivateSshd();
const config = mkdtempSync(join(tmpdir(), 'jobctl-docker-config-'));

beforeAll(async () => {
  await engine.start({ tls: true });
  engine.loadImages('busybox:1.35');
  await sshd.start();
}, 120_000);

afterAll(async () => {
  await engine.destroy();
  await sshd.destroy();
  rmSync(config, { recursive: true, force: true });
}, 120_000);

/** The environment with only the given engine settings (none inherited). */
function engineEnv(more: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: config };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH'])
    delete env[k];
  return { ...env, ...more };
}

const docker = (args: string[], env: NodeJS.ProcessEnv) =>
  execFileSync('docker', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Runs a Job through a server on `env`'s engine; returns the home (cleaned up by the caller). */
async function runsThere(name: string, env: NodeJS.ProcessEnv): Promise<Home> {
  const home = new Home('500ms');
  Object.assign(home.env, env);
  for (const k of Object.keys(home.env)) if (k.startsWith('DOCKER_') && !(k in env)) delete home.env[k];
  await home.ok(['apply', '-f', '-'], jobYaml(name, ['sh', '-c', `echo ${name} on $(hostname)`]));
  await home.ok(['wait', '--for=condition=complete', `job/${name}`, '--timeout=60s']);
  const [pod] = (await home.json<List<{ metadata: { name: string } }>>(['get', 'pods', '-l', `job-name=${name}`]))
    .items;
  expect(await home.ok(['logs', `job/${name}`])).toBe(`${name} on ${pod.metadata.name}\n`);
  return home;
}

/** Points the home's docker CLI at the private engine's socket, for a cleanup after a failure to reach it. */
function cleanupThroughSocket(home: Home): Promise<void> {
  for (const k of Object.keys(home.env)) if (k.startsWith('DOCKER_')) delete home.env[k];
  home.env.DOCKER_HOST = engine.host;
  return home.cleanup();
}

/** The containers of `home`'s server on the private engine (asked through its unix socket), and on the machine's. */
function whereItsContainersAre(home: Home): { privateEngine: number; machine: number } {
  const filter = ['ps', '-aq', '--filter', `label=io.jobctl.instance=${home.instanceId()}`];
  const count = (env: NodeJS.ProcessEnv) => docker(filter, env).split('\n').filter(Boolean).length;
  return { privateEngine: count(engineEnv({ DOCKER_HOST: engine.host })), machine: count(engineEnv({})) };
}

describe('engines over TCP with TLS, over SSH, and one that answers nothing', () => {
  it('DOCKER_HOST=tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH: Jobs run on that engine, as `docker` there shows', async () => {
    const env = engineEnv({
      DOCKER_HOST: `tcp://127.0.0.1:${engine.tcpPort}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: engine.certs,
    });
    const version = docker(['version', '--format', '{{.Server.Version}}'], env);
    const home = await runsThere('over-tls', env);
    try {
      expect(whereItsContainersAre(home)).toEqual({ privateEngine: 1, machine: 0 });
      expect(await home.ok(['version'])).toMatch(
        new RegExp(
          `^Engine: docker ${version.replace(/[.+]/g, '\\$&')} at tcp://127\\.0\\.0\\.1:${engine.tcpPort} \\(DOCKER_HOST\\)$`,
          'm',
        ),
      );
      // The same containers, seen by the docker CLI over the same TLS connection.
      expect(await home.containers()).toHaveLength(1);
    } finally {
      await home.cleanup();
    }
  });

  it('a docker context with TLS material (docker context create --docker host=...,ca=,cert=,key=)', async () => {
    const c = (f: string) => join(engine.certs, f);
    docker(
      [
        'context',
        'create',
        'tls-engine',
        '--docker',
        `host=tcp://127.0.0.1:${engine.tcpPort},ca=${c('ca.pem')},cert=${c('cert.pem')},key=${c('key.pem')}`,
      ],
      engineEnv({}),
    );
    const env = engineEnv({ DOCKER_CONTEXT: 'tls-engine' });
    expect(docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], env)).toBe(
      `tcp://127.0.0.1:${engine.tcpPort}`,
    );
    const home = await runsThere('via-tls-context', env);
    try {
      expect(whereItsContainersAre(home)).toEqual({ privateEngine: 1, machine: 0 });
      expect(await home.ok(['version'])).toContain(`at tcp://127.0.0.1:${engine.tcpPort} (context "tls-engine")`);
    } finally {
      await home.cleanup();
    }
  });

  it('TLS that does not check out is refused, naming the engine: no CA file, or no client certificate', async () => {
    const home = new Home('500ms');
    try {
      Object.assign(
        home.env,
        engineEnv({
          DOCKER_HOST: `tcp://127.0.0.1:${engine.tcpPort}`,
          DOCKER_TLS_VERIFY: '1',
          DOCKER_CERT_PATH: config,
        }),
      );
      // DOCKER_CERT_PATH without ca.pem: as the docker CLI, an error before anything runs.
      const r = await home.jobctl(['get', 'jobs']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: could not read CA certificate "${join(config, 'ca.pem')}": no such file (DOCKER_TLS_VERIFY is set)\n`,
      );
      // The CA alone (no client certificate): the engine, which requires one, refuses the connection.
      const caOnly = mkdtempSync(join(tmpdir(), 'jobctl-ca-only-'));
      try {
        execFileSync('cp', [join(engine.certs, 'ca.pem'), caOnly]);
        Object.assign(home.env, { DOCKER_CERT_PATH: caOnly });
        const v = await home.jobctl(['version']);
        expect(v.code).toBe(1);
        expect(v.stdout).toContain(`Engine: not answering at tcp://127.0.0.1:${engine.tcpPort} (DOCKER_HOST)\n`);
        expect(v.stderr).toMatch(
          new RegExp(
            `^error: container runtime is down: cannot reach the Docker engine at tcp://127\\.0\\.0\\.1:${engine.tcpPort}: .+`,
          ),
        );
      } finally {
        rmSync(caOnly, { recursive: true, force: true });
      }
    } finally {
      await cleanupThroughSocket(home);
    }
  });

  it('DOCKER_HOST=ssh://root@127.0.0.1:PORT/socket: through `ssh ... docker system dial-stdio`, as the docker CLI', async () => {
    const env = engineEnv({ DOCKER_HOST: `ssh://root@127.0.0.1:${sshd.port}${engine.socket}`, PATH: sshd.path });
    // The docker CLI reaches the private engine that way too: the oracle.
    expect(docker(['info', '--format', '{{.DockerRootDir}}'], env)).toBe(join(engine.dir, 'data'));
    const home = await runsThere('over-ssh', env);
    try {
      expect(whereItsContainersAre(home)).toEqual({ privateEngine: 1, machine: 0 });
      expect(await home.ok(['version'])).toContain(
        `at ssh://root@127.0.0.1:${sshd.port}${engine.socket} (DOCKER_HOST)`,
      );
      // ssh's own words when it cannot get in (a user the sshd does not take).
      const refused = new Home('500ms');
      try {
        Object.assign(refused.env, { ...env, DOCKER_HOST: `ssh://nobody@127.0.0.1:${sshd.port}` });
        const v = await refused.jobctl(['version']);
        expect(v.code).toBe(1);
        expect(v.stderr).toMatch(
          /^error: container runtime is down: cannot reach the Docker engine at ssh:\/\/nobody@127\.0\.0\.1:\d+: .*Permission denied/,
        );
      } finally {
        await cleanupThroughSocket(refused);
      }
    } finally {
      await home.cleanup();
    }
  });

  it('a DOCKER_HOST that answers nothing: apply keeps the Job and says why its pods wait; the node is NotReady; version fails naming it', async () => {
    const port = await freePort();
    const home = new Home('500ms');
    try {
      Object.assign(home.env, engineEnv({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }));
      const unreachable = `cannot reach the Docker engine at tcp://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`;
      const v = await home.jobctl(['version']);
      expect(v).toMatchObject({ code: 1, stderr: `error: container runtime is down: ${unreachable}\n` });
      expect(v.stdout).toMatch(
        new RegExp(
          `^Client Version: v.+\nServer Version: v1\\.32\\.0-jobctl\nEngine: not answering at tcp://127\\.0\\.0\\.1:${port} \\(DOCKER_HOST\\)\n$`,
        ),
      );
      const r = await home.jobctl(['apply', '-f', '-'], { stdin: jobYaml('waits', ['true']) });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        `Warning: node "${(await home.json<List<Node>>(['get', 'nodes'])).items[0].metadata.name}" is not ready: container runtime is down: ${unreachable}; its pods wait until it is\n`,
      );
      expect(await home.ok(['get', 'nodes', '--no-headers'])).toMatch(/^\S+\s+NotReady\s/);
      const events = await home.ok([
        'get',
        'events',
        '--field-selector',
        'reason=FailedSync',
        '-o',
        'jsonpath={.items[*].message}',
      ]);
      expect(events).toContain(unreachable);
      expect(readFileSync(join(home.dir, 'server.log'), 'utf8')).toContain(
        `container runtime: docker at tcp://127.0.0.1:${port} (DOCKER_HOST)`,
      );
    } finally {
      await cleanupThroughSocket(home);
    }
  });
});
