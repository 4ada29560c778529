// The chaos run's short variant, inside the normal suite (`npm run chaos` runs the long one).
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.js';

describe('crash safety', () => {
  const kills = Number(process.env.JOBCTL_CHAOS_KILLS ?? 10);
  it(
    `jobs end exactly as their manifests dictate while the server is killed ${kills} times`,
    async () => {
      const report = await runChaos({
        kills,
        seed: Number(process.env.JOBCTL_CHAOS_SEED ?? 7),
        log: process.env.JOBCTL_CHAOS_KILLS ? console.log : undefined,
      });
      if (process.env.JOBCTL_CHAOS_KILLS) console.log(JSON.stringify(report, null, 2));
      expect(report.problems).toEqual([]);
      expect(report.kills).toBe(kills);
      expect(report.integrity).toBe('ok');
    },
    60_000 + kills * 15_000,
  );
});
