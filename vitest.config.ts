import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The load test is its own run (`npm run load`): minutes of a 500-pod job.
    exclude: process.env.npm_lifecycle_event === 'load' ? [] : ['test/load/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
