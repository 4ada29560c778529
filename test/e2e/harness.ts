// End-to-end harness: the built `bin/jobctl` against the real Docker engine, each test file in its
// own JOBCTL_HOME with a short back-off base. Cleans up the containers its servers created, and
// only those.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Job, Pod } from '../../src/api/index.js';
import { resolveDockerEndpoint } from '../../src/runtime/docker/endpoint.js';
import { engineLimits, podmanUlimits } from '../../src/runtime/docker/podman.js';

const run = promisify(execFile);
export const BIN = resolve(import.meta.dirname, '../../bin/jobctl');
export const FIXTURES = resolve(import.meta.dirname, '../../fixtures');

/**
 * `JOBCTL_E2E_ENGINE=podman`: the suite's Podman run (`npm run test:podman`), on the engine that
 * DOCKER_HOST names. A test's own `docker run` there needs the limits jobctl gives its containers
 * (see src/runtime/docker/podman.ts); on Docker it needs none.
 */
export const PODMAN = process.env.JOBCTL_E2E_ENGINE === 'podman';
export function runFlags(): string[] {
  if (!PODMAN) return [];
  const t = resolveDockerEndpoint(process.env).transport;
  return podmanUlimits(engineLimits(t.kind === 'unix' ? t.socket : undefined)).flatMap((u) => [
    '--ulimit',
    `${u.Name}=${u.Soft}:${u.Hard}`,
  ]);
}

/** The docker CLI does not look for Podman's socket as jobctl does (endpoint.ts): point it there. */
function dockerCliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.DOCKER_HOST || env.DOCKER_CONTEXT) return env;
  try {
    const e = resolveDockerEndpoint(env);
    if (e.from.startsWith("Podman's socket")) return { ...env, DOCKER_HOST: e.host };
  } catch {
    /* jobctl will say what is wrong */
  }
  return env;
}

/** A list as the API returns it. */
export interface List<T> {
  items: T[];
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export class Home {
  readonly dir = mkdtempSync(join(tmpdir(), 'jobctl-e2e-'));
  readonly env: NodeJS.ProcessEnv;
  readonly simulated: boolean;

  /**
   * `runtime: 'simulated'` runs the server on the simulated runtime with no engine reachable at
   * all (DOCKER_HOST names a socket that does not exist): the fast tier's whole-server tests.
   */
  constructor(backoffBase = '500ms', opts: { runtime?: 'docker' | 'simulated' } = {}) {
    this.simulated = opts.runtime === 'simulated';
    this.env = { ...process.env, JOBCTL_HOME: this.dir, JOBCTL_BACKOFF_BASE: backoffBase, NO_COLOR: '1' };
    if (this.simulated) Object.assign(this.env, { JOBCTL_RUNTIME: 'simulated', DOCKER_HOST: 'unix:///nonexistent' });
  }

  async jobctl(args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<Result> {
    return new Promise((res) => {
      const child = spawn(BIN, args, { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        res({ code: code ?? -1, stdout, stderr });
      });
      // A command that exits without reading its input (fast, under load) closes the pipe first.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin ?? '');
    });
  }

  /** Runs a long command (get -w, logs -f) in the background. */
  background(args: string[]): { child: ChildProcess; output: () => string } {
    const child = spawn(BIN, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    return { child, output: () => out };
  }

  async ok(args: string[], stdin?: string): Promise<string> {
    const r = await this.jobctl(args, { stdin });
    if (r.code !== 0) throw new Error(`jobctl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async json<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '-o', 'json'])) as T;
  }

  /** A raw request to the server's API with its token (the server must be running). */
  api(
    method: string,
    path: string,
    body?: Buffer | string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const { port } = JSON.parse(readFileSync(join(this.dir, 'server.json'), 'utf8')) as { port: number };
    const token = readFileSync(join(this.dir, 'token'), 'utf8').trim();
    return new Promise((resolve) => {
      const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
      const req = request(
        {
          host: '127.0.0.1',
          port,
          ca: readFileSync(join(this.dir, 'ca.crt')),
          method,
          path,
          headers: { Authorization: `Bearer ${token}`, ...length, ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', () => resolve({ status: -1, body: '' }));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** The pods of a Job (by its job-name label) and the Job itself, as `-o json` prints them. */
  async podsOf(job: string, namespace?: string): Promise<Pod[]> {
    const ns = namespace ? ['-n', namespace] : [];
    return (await this.json<List<Pod>>(['get', 'pods', '-l', `job-name=${job}`, ...ns])).items;
  }

  getJob(name: string): Promise<Job> {
    return this.json<Job>(['get', 'job', name]);
  }

  instanceId(): string | undefined {
    const db = join(this.dir, 'state.db');
    if (!existsSync(db)) return undefined;
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare("SELECT value FROM meta WHERE key = 'instanceId'").get() as { value: string } | undefined)
        ?.value;
    } finally {
      d.close();
    }
  }

  /** The containers the store records as jobctl's own (read with the server stopped). */
  recordedContainers(): Set<string> {
    const d = new Database(join(this.dir, 'state.db'), { readonly: true, fileMustExist: true });
    try {
      return new Set((d.prepare('SELECT id FROM containers').all() as { id: string }[]).map((r) => r.id));
    } finally {
      d.close();
    }
  }

  /** Our containers, by the instance label the server puts on them. */
  async containers(extraLabel?: string): Promise<string[]> {
    const id = this.instanceId();
    if (!id) return [];
    const args = ['ps', '-aq', '--filter', `label=io.jobctl.instance=${id}`];
    if (extraLabel) args.push('--filter', `label=${extraLabel}`);
    return (await this.docker(args)).split('\n').filter(Boolean);
  }

  /** The docker CLI, on the engine this home's server uses (DOCKER_HOST and the rest of its env). */
  async docker(args: string[]): Promise<string> {
    return (await run('docker', args, { env: dockerCliEnv(this.env) })).stdout;
  }

  async cleanup(): Promise<void> {
    await this.jobctl(['server', 'stop'], { timeoutMs: 40_000 });
    if (this.simulated) {
      rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    // Twice: Podman refuses to remove a pod's sandbox before the containers that share it.
    for (let pass = 0; pass < 2; pass++) {
      const ids = await this.containers();
      if (ids.length) await this.docker(['rm', '-f', ...ids]).catch((e: Error) => pass && Promise.reject(e));
    }
    const id = this.instanceId();
    const volumes = id
      ? (await this.docker(['volume', 'ls', '-q', '--filter', `label=io.jobctl.instance=${id}`]))
          .split('\n')
          .filter(Boolean)
      : [];
    if (volumes.length) await this.docker(['volume', 'rm', '-f', ...volumes]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Job manifest: `spec` and `podSpec` are YAML lines already indented for their place. */
export function jobManifest(name: string, spec: string, podSpec: string): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    spec:
${podSpec}
`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const jobYaml = (
  name: string,
  command: string[],
  extra: { spec?: string; pod?: string; restartPolicy?: string; container?: string } = {},
) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${extra.spec ?? ''}  template:
    spec:
${extra.pod ?? ''}      restartPolicy: ${extra.restartPolicy ?? 'Never'}
      containers:
      - name: c
        image: busybox:1.35
        command: ${JSON.stringify(command)}
${extra.container ?? ''}`;
