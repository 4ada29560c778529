// Racing commands on a fresh home start one server, and every command gets its answer: the pid
// file appears whole or not at all, so a losing server never reads it empty, takes it for a dead
// server's, and runs beside the winner (the database then "locked" for one of them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Home } from '../e2e/harness.js';

describe('racing commands on a fresh home', () => {
  it('twelve at once, four times: one server, every answer', async () => {
    for (let round = 0; round < 4; round++) {
      const home = new Home('500ms', { runtime: 'simulated' });
      try {
        const results = await Promise.all(Array.from({ length: 12 }, () => home.jobctl(['get', 'jobs'])));
        for (const r of results)
          expect(r).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
        const log = readFileSync(join(home.dir, 'server.log'), 'utf8');
        expect(log.match(/listening on/g)).toHaveLength(1);
      } finally {
        await home.cleanup();
      }
    }
  }, 120_000);
});
