// A JOBCTL_HOME of its own for a benchmark, and the jobctl commands run in it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/jobctl');

export class BenchHome {
  constructor(prefix = 'jobctl-bench-', env = {}) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.env = { ...process.env, JOBCTL_HOME: this.dir, NO_COLOR: '1', ...env };
  }
  jobctl(args, stdin) {
    return new Promise((res) => {
      const c = spawn(BIN, args, { env: this.env });
      let out = '';
      let err = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (err += d));
      c.on('close', (code) => res({ code, out, err }));
      c.stdin.on('error', () => undefined); // a command may exit before reading its input
      c.stdin.end(stdin ?? '');
    });
  }
  async ok(args, stdin) {
    const r = await this.jobctl(args, stdin);
    if (r.code !== 0) throw new Error(`jobctl ${args.join(' ')}: ${r.err}`);
    return r.out;
  }
  /** The server's pid (it runs once a command has started it). */
  pid() {
    return JSON.parse(readFileSync(join(this.dir, 'server.json'), 'utf8')).pid;
  }
}
