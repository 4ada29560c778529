import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startSpinner } from '../../src/print/spinner.js';

/** A stream that claims to be a terminal of the given width and records what is written to it. */
function fakeTerminal(columns: number): { stream: NodeJS.WriteStream; written: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  Object.assign(s, {
    isTTY: true,
    columns,
    rows: 24,
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
  });
  return { stream: s, written: () => out };
}

describe('the wait spinner', () => {
  it('draws on a terminal that has a width', async () => {
    const t = fakeTerminal(80);
    const s = await startSpinner('waiting for job/x', true, t.stream);
    await new Promise((r) => setTimeout(r, 250));
    s.stop();
    expect(t.written()).toContain('waiting for job/x');
  });

  it('stays off on a terminal that reports no width (ora would clear lines without end)', async () => {
    const t = fakeTerminal(0);
    const s = await startSpinner('waiting for job/x', true, t.stream);
    await new Promise((r) => setTimeout(r, 250));
    s.stop();
    expect(t.written()).toBe('');
  });

  it('says what it is given as the wait goes on', async () => {
    const t = fakeTerminal(80);
    const s = await startSpinner('waiting for job/x', true, t.stream);
    s.say('job/x: 3/10 succeeded, 1 failed, 2 running');
    await new Promise((r) => setTimeout(r, 250));
    s.stop();
    expect(t.written()).toContain('job/x: 3/10 succeeded, 1 failed, 2 running');
  });
});
