// The chaos run's short variant, inside the normal suite (`npm run chaos` runs the long one).
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.js';

describe('crash safety', () => {
  it('jobs end exactly as their manifests dictate while the server is killed ten times', async () => {
    const report = await runChaos({ kills: 10, seed: Number(process.env.JOBCTL_CHAOS_SEED ?? 7) });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(10);
    expect(report.integrity).toBe('ok');
  }, 300_000);
});
