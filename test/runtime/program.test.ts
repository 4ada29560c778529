// What a simulated container runs, read from annotations or its command.
import { describe, expect, it } from 'vitest';
import { programFor, seededFraction } from '../../src/runtime/simulated/program.js';

const env = new Map([['JOB_COMPLETION_INDEX', '3']]);
const run = (argv: string[], annotations: Record<string, string> = {}) => programFor('k8s_c_p', argv, env, annotations);
const texts = (argv: string[]) => run(argv).output.map((o) => o.text);

describe('simulated programs', () => {
  it.each([
    [['true'], 0, 0],
    [['false'], 0, 1],
    [['sleep', '2'], 2000, 0],
    [['sleep', '0.5'], 500, 0],
    [['sh', '-c', 'sleep 1; exit 4'], 1000, 4],
    [['sh', '-c', 'echo a && false && echo never'], 0, 1],
    [['/bin/sh', '-c', 'exit 2; sleep 9'], 0, 2],
    [['my-binary', '--flag'], 0, 0],
  ])('%j runs %d ms and exits %d', (argv, durationMs, exitCode) => {
    expect(run(argv)).toMatchObject({ durationMs, exitCode });
  });

  it('prints echo lines with variables expanded, at the time they run', () => {
    expect(texts(['sh', '-c', 'echo index $JOB_COMPLETION_INDEX; echo "${JOB_COMPLETION_INDEX}x"'])).toEqual([
      'index 3',
      '3x',
    ]);
    expect(run(['sh', '-c', 'echo a; sleep 1; echo b']).output.map((o) => o.atMs)).toEqual([0, 1000]);
  });

  it('annotations take over from the command', () => {
    const p = run(['sleep', '100'], {
      'sim.jobctl.io/duration': '250ms',
      'sim.jobctl.io/exit-code': '7',
      'sim.jobctl.io/output': 'x\ny',
    });
    expect(p).toMatchObject({ durationMs: 250, exitCode: 7 });
    expect(p.output.map((o) => o.text)).toEqual(['x', 'y']);
  });

  it('a duration range draws the same value for the same container, within the range', () => {
    const a = programFor('one', [], env, { 'sim.jobctl.io/duration': '50ms-500ms' }).durationMs;
    expect(programFor('one', [], env, { 'sim.jobctl.io/duration': '50ms-500ms' }).durationMs).toBe(a);
    const draws = Array.from(
      { length: 200 },
      (_, i) => programFor(`c${i}`, [], env, { 'sim.jobctl.io/duration': '50ms-500ms' }).durationMs,
    );
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...draws)).toBeLessThan(500);
    expect(new Set(draws).size).toBeGreaterThan(150);
    expect(seededFraction('x')).toBeLessThan(1);
  });
});
