// `logs` of a run that ended waits for its capture's last lines (issue 18's CI: on a loaded
// machine an exit is recorded after at most 5 s of waiting for them, and `logs` could read the
// file before they were in).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/index.js';
import { captureRunLogs, LogWrites, runLogFile } from '../../src/runtime/log-capture.js';

const root = mkdtempSync(join(tmpdir(), 'jobctl-settle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [] } } as unknown as Pod;

describe('LogWrites.settled', () => {
  it('resolves once the capture of a file has ended, at once for a file no capture writes', async () => {
    const writes = new LogWrites();
    const file = runLogFile(root, pod, 'c', 0);
    let finish!: () => void;
    const slow = {
      followLogs: async (_id: string, on: (which: 'stdout' | 'stderr', frame: string) => void) => {
        on('stdout', '2026-11-30T00:00:00.000000000Z first\n');
        await new Promise<void>((r) => (finish = r));
        on('stdout', '2026-11-30T00:00:01.000000000Z last\n');
      },
    };
    const capture = captureRunLogs(slow, root, pod, 'c', 'id', 0, writes);
    let settled = false;
    const waiting = writes.settled(file, 10_000).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    finish();
    await waiting;
    expect(readFileSync(file, 'utf8')).toContain('stdout last\n');
    expect(await capture).toBeGreaterThan(0);
    await writes.settled(file, 10_000); // nothing under way: at once
    await writes.settled(join(root, 'never'), 10_000);
  });

  it('gives up after its bound', async () => {
    const writes = new LogWrites();
    const file = runLogFile(root, pod, 'd', 0);
    const never = { followLogs: () => new Promise<void>(() => undefined) };
    void captureRunLogs(never, root, pod, 'd', 'id', 0, writes);
    const started = Date.now();
    await writes.settled(file, 100);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
