import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  // The suite may run under CI (where the spinner stays off); these tests are about a person's terminal.
  beforeEach(() => {
    vi.stubEnv('CI', undefined);
    vi.stubEnv('TERM', 'xterm-256color');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('draws on a terminal that has a width', async () => {
    const t = fakeTerminal(80);
    const s = await startSpinner('waiting for job/x', true, t.stream);
    await new Promise((r) => setTimeout(r, 250));
    s.stop();
    // A spinner frame, not ora's one-line '- text' of a stream it would not animate.
    expect(t.written()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for job\/x/);
  });

  it('stays off under CI and on a dumb terminal', async () => {
    for (const [name, value] of [
      ['CI', 'true'],
      ['TERM', 'dumb'],
    ] as const) {
      vi.stubEnv(name, value);
      const t = fakeTerminal(80);
      const s = await startSpinner('waiting for job/x', true, t.stream);
      await new Promise((r) => setTimeout(r, 100));
      s.stop();
      expect(t.written(), name).toBe('');
      vi.unstubAllEnvs();
      vi.stubEnv('CI', undefined);
    }
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
