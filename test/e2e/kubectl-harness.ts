// The stock kubectl 1.32 binary, pointed at a test's jobctl server through a kubeconfig that
// `jobctl kubeconfig --merge` wrote. Missing kubectl fails the test loudly; it is never skipped.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Home } from './harness.js';

/** The stock binary beside the wrapper on the path (the wrapper picks a version and adds requests). */
export function findKubectl(): string {
  let wrapper: string;
  try {
    wrapper = execFileSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"'], { encoding: 'utf8' }).trim();
  } catch {
    wrapper = '';
  }
  const path = join(dirname(wrapper || '/nonexistent/kubectl'), 'kubectl.1.32');
  if (!wrapper || !existsSync(path))
    throw new Error(`kubectl 1.32 is needed for this test and was not found (looked for ${path})`);
  return path;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  readonly bin = findKubectl();
  readonly kubeconfig: string;

  constructor(private readonly home: Home) {
    this.kubeconfig = join(home.dir, 'kube', 'config');
  }

  /** Writes the kubeconfig (`jobctl kubeconfig --merge`) kubectl then uses. */
  async connect(): Promise<void> {
    mkdirSync(dirname(this.kubeconfig), { recursive: true });
    this.home.env.KUBECONFIG = this.kubeconfig;
    await this.home.ok(['kubeconfig', '--merge']);
  }

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, HOME: this.home.dir, KUBECONFIG: this.kubeconfig, ...extra };
  }

  async run(args: string[], extraEnv?: Record<string, string>): Promise<KubectlResult> {
    try {
      const { stdout, stderr } = await promisify(execFile)(this.bin, ['--kubeconfig', this.kubeconfig, ...args], {
        env: this.env(extraEnv),
        timeout: 90_000,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  /** kubectl with `input` on its stdin (exec -i, attach -i). */
  runWithInput(args: string[], input: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = spawn(this.bin, ['--kubeconfig', this.kubeconfig, ...args], { env: this.env() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }

  /** A long-running kubectl (`get -w`, `logs -f`, `wait`): its output so far, its end, and a way to stop it. */
  start(args: string[]): { output: () => string; done: Promise<number>; stop: () => void } {
    const child = spawn(this.bin, ['--kubeconfig', this.kubeconfig, ...args], { env: this.env() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    return { output: () => out, done, stop: () => child.kill('SIGINT') };
  }
}
