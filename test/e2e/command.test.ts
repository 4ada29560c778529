// The jobctl command itself (bin/jobctl): the shell launcher in front of Node.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, Home, sleep } from './harness.js';

const run = promisify(execFile);
const home = new Home();
// A file Node cannot read: Node warns on stderr when the variable reaches it.
home.env.NODE_EXTRA_CA_CERTS = join(home.dir, 'no-such-ca.pem');
const links = mkdtempSync(join(tmpdir(), 'jobctl-bin-'));
afterAll(async () => {
  rmSync(links, { recursive: true, force: true });
  await home.cleanup();
});

describe('the jobctl command', () => {
  it('runs Node without NODE_EXTRA_CA_CERTS, the CLI and the server it starts (Node 20 loads it at every start)', async () => {
    const r = await home.jobctl(['get', 'jobs']);
    expect(r).toMatchObject({ code: 0, stderr: 'No resources found in default namespace.\n' });
    const pid = JSON.parse(readFileSync(join(home.dir, 'server.json'), 'utf8')).pid as number;
    const serverEnv = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(serverEnv.some((v) => v.startsWith('JOBCTL_HOME='))).toBe(true);
    expect(serverEnv.some((v) => v.startsWith('NODE_EXTRA_CA_CERTS='))).toBe(false);
    // The same command with the variable reaching Node: the check above can see it.
    const direct = await run(process.execPath, [`${BIN}.cjs`, 'get', 'jobs'], { env: home.env });
    expect(direct.stderr).toContain('Ignoring extra certs from');
  });

  it('a long output reaches a slow reader whole (a pipe takes only 64 KiB before it is read)', async () => {
    const value = 'x'.repeat(300_000);
    const child = spawn(BIN, ['apply', '--dry-run=client', '-o', 'json', '-f', '-'], { env: home.env });
    child.stdin.end(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: "${value}"\n`);
    child.stdout.pause();
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await sleep(500);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    await Promise.race([new Promise((r) => child.stdout.on('end', r)), sleep(10_000)]);
    expect(await exited).toBe(0);
    expect(Buffer.concat(chunks).length).toBeGreaterThan(value.length);
    expect(JSON.parse(Buffer.concat(chunks).toString()).data.k).toBe(value);
  });

  it('works through a symbolic link, as npm installs it in a bin directory', async () => {
    const link = join(links, 'jobctl');
    symlinkSync(resolve(BIN), link);
    const r = await run(link, ['--version'], { env: home.env });
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(resolve(BIN, '../../package.json'), 'utf8')).version}\n`);
    expect(r.stderr).toBe('');
  });
});
