// jobctl uses the engine the docker CLI would use (issue 17, first step): DOCKER_HOST, else
// DOCKER_CONTEXT, else the current context of DOCKER_CONFIG's config.json, the contexts made by
// the docker CLI itself; an endpoint it cannot use is an error naming it, never another engine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDockerEndpoint } from '../../src/runtime/docker/endpoint.js';
import { Home, jobYaml } from './harness.js';

const config = mkdtempSync(join(tmpdir(), 'jobctl-docker-config-'));
const home = new Home('500ms');
afterAll(async () => {
  await home.cleanup();
  rmSync(config, { recursive: true, force: true });
});

const env = (more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const { DOCKER_HOST: _h, DOCKER_CONTEXT: _c, ...rest } = process.env;
  return { ...rest, DOCKER_CONFIG: config, ...more };
};
const docker = (args: string[], more: NodeJS.ProcessEnv = {}) =>
  execFileSync('docker', args, { env: env(more), encoding: 'utf8' }).trim();
/** What the docker CLI says it would use: the oracle. */
const theirs = (more: NodeJS.ProcessEnv = {}) =>
  docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], more);

describe('the engine the docker CLI would use', () => {
  it('resolves as the docker CLI does: the default, DOCKER_CONTEXT, the current context, DOCKER_HOST first', () => {
    expect(resolveDockerEndpoint(env()).host).toBe(theirs());
    docker(['context', 'create', 'elsewhere', '--docker', 'host=unix:///run/elsewhere.sock']);
    docker(['context', 'create', 'local', '--docker', 'host=unix:///var/run/docker.sock']);
    expect(resolveDockerEndpoint(env({ DOCKER_CONTEXT: 'elsewhere' }))).toMatchObject({
      host: theirs({ DOCKER_CONTEXT: 'elsewhere' }),
      transport: { kind: 'unix', socket: '/run/elsewhere.sock' },
      from: 'context "elsewhere"',
    });
    docker(['context', 'use', 'elsewhere']);
    expect(resolveDockerEndpoint(env()).host).toBe(theirs());
    expect(theirs()).toBe('unix:///run/elsewhere.sock');
    // DOCKER_HOST wins over any context, for the docker CLI too.
    const host = { DOCKER_HOST: 'unix:///run/other.sock' };
    expect(resolveDockerEndpoint(env(host))).toMatchObject({ host: 'unix:///run/other.sock', from: 'DOCKER_HOST' });
    expect(docker(['context', 'ls', '--format', '{{if .Current}}{{.Name}}{{end}}'], host)).toContain('default');
  });

  it('runs Jobs on the engine of the current context', async () => {
    docker(['context', 'use', 'local']);
    Object.assign(home.env, { DOCKER_CONFIG: config });
    delete home.env.DOCKER_HOST;
    delete home.env.DOCKER_CONTEXT;
    await home.ok(['apply', '-f', '-'], jobYaml('via-context', ['echo', 'from the context']));
    await home.ok(['wait', '--for=condition=complete', 'job/via-context', '--timeout=60s']);
    expect(await home.ok(['logs', 'job/via-context'])).toBe('from the context\n');
    expect(await home.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].status.nodeInfo.containerRuntimeVersion}'])).toBe(
      `docker://${docker(['version', '--format', '{{.Server.Version}}'])}`,
    );
  });

  it('refuses an endpoint it cannot use, naming it, at once and without starting on another engine', async () => {
    const other = new Home('500ms');
    try {
      Object.assign(other.env, { DOCKER_HOST: 'npipe:////./pipe/docker_engine' });
      const r = await other.jobctl(['get', 'jobs']);
      expect(r).toMatchObject({
        code: 1,
        stderr:
          'error: the Docker engine at npipe:////./pipe/docker_engine cannot be used: jobctl reaches an engine through unix://, tcp:// or ssh:// only (from DOCKER_HOST)\n',
      });
      Object.assign(other.env, { DOCKER_HOST: '', DOCKER_CONTEXT: 'ghost', DOCKER_CONFIG: config });
      expect((await other.jobctl(['get', 'jobs'])).stderr).toMatch(/^error: context "ghost": context not found: /);
    } finally {
      delete other.env.DOCKER_HOST;
      delete other.env.DOCKER_CONTEXT;
      await other.cleanup();
    }
  });
});
