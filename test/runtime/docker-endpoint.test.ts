// The engine endpoint as the docker CLI resolves it, rule by rule (the e2e tests check the same
// against the docker CLI itself and real engines): schemes and default ports, TLS from the
// environment and from a context, ssh:// URLs into ssh arguments, Podman's sockets when there is
// no Docker socket; and the Podman differences handled (podman.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDockerEndpoint, type EndpointProbe } from '../../src/runtime/docker/endpoint.js';
import { engineFlavour, nameConflict, podmanUlimits } from '../../src/runtime/docker/podman.js';

const config = mkdtempSync(join(tmpdir(), 'jobctl-endpoint-'));
afterAll(() => rmSync(config, { recursive: true, force: true }));

const docker: EndpointProbe = { usable: (p) => p === '/var/run/docker.sock', uid: 0 };
const resolve = (env: NodeJS.ProcessEnv, probe = docker) =>
  resolveDockerEndpoint({ HOME: '/nonexistent', DOCKER_CONFIG: config, ...env }, probe);
const fails = (env: NodeJS.ProcessEnv) => {
  try {
    resolve(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('resolved');
};

/** A context as `docker context create` stores it. */
function context(name: string, meta: Record<string, unknown>, tls: Record<string, string> = {}) {
  const id = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(config, 'contexts', 'meta', id), { recursive: true });
  writeFileSync(
    join(config, 'contexts', 'meta', id, 'meta.json'),
    JSON.stringify({ Name: name, Endpoints: { docker: meta } }),
  );
  const dir = join(config, 'contexts', 'tls', id, 'docker');
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(tls)) writeFileSync(join(dir, f), text);
}

describe('resolveDockerEndpoint', () => {
  it('unix and tcp, with the docker CLI default port and host', () => {
    expect(resolve({}).transport).toEqual({ kind: 'unix', socket: '/var/run/docker.sock' });
    expect(resolve({ DOCKER_HOST: 'tcp://10.1.2.3' }).transport).toEqual({ kind: 'tcp', host: '10.1.2.3', port: 2375 });
    expect(resolve({ DOCKER_HOST: 'tcp://[::1]:2376' }).transport).toMatchObject({ host: '::1', port: 2376 });
    expect(resolve({ DOCKER_HOST: '10.1.2.3:9' }).transport).toMatchObject({ kind: 'tcp', port: 9 });
    expect(resolve({ DOCKER_HOST: 'tcp://10.1.2.3:80' }).transport).toMatchObject({ port: 80 });
    expect(fails({ DOCKER_HOST: 'fd://' })).toBe(
      'the Docker engine at fd:// cannot be used: jobctl reaches an engine through unix://, tcp:// or ssh:// only (from DOCKER_HOST)',
    );
  });

  it('TLS from DOCKER_TLS_VERIFY / DOCKER_TLS and DOCKER_CERT_PATH; with it and no DOCKER_HOST, tcp://localhost:2376', () => {
    const certs = join(config, 'certs');
    mkdirSync(certs, { recursive: true });
    writeFileSync(join(certs, 'ca.pem'), 'CA');
    writeFileSync(join(certs, 'cert.pem'), 'CERT');
    const e = resolve({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(e.host).toBe('tcp://localhost:2376');
    expect(e.transport).toEqual({
      kind: 'tcp',
      host: 'localhost',
      port: 2376,
      // No key.pem: as the docker CLI, no client certificate is sent (the engine may refuse).
      tls: { ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: undefined, skipVerify: false },
    });
    // DOCKER_TLS alone: TLS without checking the engine's certificate.
    expect(resolve({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS: '1', DOCKER_CERT_PATH: certs }).transport).toMatchObject({
      tls: { skipVerify: true },
    });
    // As the docker CLI, any value turns verification on, "0" too.
    expect(
      resolve({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: certs }).transport,
    ).toMatchObject({
      tls: { skipVerify: false },
    });
    // No TLS for a socket, whatever the environment says.
    expect(resolve({ DOCKER_HOST: 'unix:///s', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }).transport).toEqual({
      kind: 'unix',
      socket: '/s',
    });
    expect(fails({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' })).toBe(
      'could not read CA certificate "/nonexistent/ca.pem": no such file (DOCKER_TLS_VERIFY is set)',
    );
  });

  it("a context's endpoint and TLS material, SkipTLSVerify; DOCKER_HOST wins over DOCKER_CONTEXT", () => {
    context(
      'remote',
      { Host: 'tcp://build.example:2376', SkipTLSVerify: false },
      { 'ca.pem': 'CA', 'cert.pem': 'C', 'key.pem': 'K' },
    );
    context('lax', { Host: 'tcp://lax.example:2376', SkipTLSVerify: true });
    context('plain', { Host: 'tcp://plain.example:2375' });
    expect(resolve({ DOCKER_CONTEXT: 'remote' })).toEqual({
      host: 'tcp://build.example:2376',
      from: 'context "remote"',
      transport: {
        kind: 'tcp',
        host: 'build.example',
        port: 2376,
        tls: { ca: Buffer.from('CA'), cert: Buffer.from('C'), key: Buffer.from('K'), skipVerify: false },
      },
    });
    expect(resolve({ DOCKER_CONTEXT: 'lax' }).transport).toMatchObject({ tls: { skipVerify: true, ca: undefined } });
    expect(resolve({ DOCKER_CONTEXT: 'plain' }).transport).toEqual({ kind: 'tcp', host: 'plain.example', port: 2375 });
    expect(resolve({ DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///x' }).from).toBe('DOCKER_HOST');
  });

  it('ssh:// into the arguments the docker CLI gives ssh, and its refusals', () => {
    expect(resolve({ DOCKER_HOST: 'ssh://me@build' }).transport).toEqual({
      kind: 'ssh',
      host: 'build',
      args: ['-l', 'me', '-o', 'ConnectTimeout=30', '-T', '--', 'build', 'docker system dial-stdio'],
    });
    expect(resolve({ DOCKER_HOST: 'ssh://build:2222/run/user/1000/docker.sock' }).transport).toEqual({
      kind: 'ssh',
      host: 'build',
      args: [
        '-p',
        '2222',
        '-o',
        'ConnectTimeout=30',
        '-T',
        '--',
        'build',
        'docker --host=unix:///run/user/1000/docker.sock system dial-stdio',
      ],
    });
    expect(resolve({ DOCKER_HOST: "ssh://build/tmp/it's.sock" }).transport).toMatchObject({
      args: expect.arrayContaining([`docker '--host=unix:///tmp/it'\\''s.sock' system dial-stdio`]),
    });
    expect(fails({ DOCKER_HOST: 'ssh://me:secret@build' })).toBe(
      'ssh host connection is not valid: invalid SSH URL: plain-text password is not supported (from DOCKER_HOST)',
    );
    expect(fails({ DOCKER_HOST: 'ssh://build?x=1' })).toBe(
      'ssh host connection is not valid: invalid SSH URL: query parameters are not allowed: "x=1" (from DOCKER_HOST)',
    );
  });

  it("Podman's socket when there is no Docker socket: rootful for root, rootless first for a user", () => {
    const podman = (uid: number, ...present: string[]): EndpointProbe => ({ usable: (p) => present.includes(p), uid });
    const rootless = '/run/user/1000/podman/podman.sock';
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    expect(resolve(env, podman(0, '/run/podman/podman.sock', rootless))).toMatchObject({
      host: 'unix:///run/podman/podman.sock',
      from: "Podman's socket: no Docker engine at /var/run/docker.sock for this user",
    });
    expect(resolve(env, podman(1000, '/run/podman/podman.sock', rootless)).host).toBe(`unix://${rootless}`);
    // Neither: the default, whose absence the server then reports.
    expect(resolve(env, podman(1000)).host).toBe('unix:///var/run/docker.sock');
    // A Docker socket, or a choice made, wins.
    expect(resolve(env, podman(0, '/var/run/docker.sock', '/run/podman/podman.sock')).host).toBe(
      'unix:///var/run/docker.sock',
    );
    expect(resolve({ ...env, DOCKER_HOST: 'unix:///d.sock' }, podman(0, '/run/podman/podman.sock')).host).toBe(
      'unix:///d.sock',
    );
  });
});

describe("Podman's differences", () => {
  it('is told from Docker by its version components', () => {
    expect(engineFlavour({ Components: [{ Name: 'Podman Engine' }, { Name: 'Conmon' }] })).toBe('podman');
    expect(engineFlavour({ Components: [{ Name: 'Engine' }, { Name: 'containerd' }] })).toBe('docker');
    expect(engineFlavour({})).toBe('docker');
  });

  it("gives containers the engine's own nofile and nproc limits", () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max processes             32768                32768                processes',
      'Max open files            1024                 20000                files',
      'Max locked memory         unlimited            unlimited            bytes',
    ].join('\n');
    expect(podmanUlimits(limits)).toEqual([
      { Name: 'nofile', Soft: 1024, Hard: 20000 },
      { Name: 'nproc', Soft: 32768, Hard: 32768 },
    ]);
    expect(podmanUlimits('Max processes             unlimited            unlimited            processes')).toEqual([]);
  });

  it("takes Podman's answer to a name in use for Docker's 409", () => {
    const said =
      'container create: creating container storage: the container name "k8s_c_p_default_u_0" is already in use by 97d7. You have to remove that container to be able to reuse that name: that name is already in use';
    expect(nameConflict({ statusCode: 500, message: said })).toBe(true);
    expect(nameConflict({ statusCode: 500, message: 'no space left on device' })).toBe(false);
  });
});
