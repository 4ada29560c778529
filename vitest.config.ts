import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The load test is its own run (`npm run load`): minutes of a 500-pod job.
    // The rootless tests run as a non-root user of their own (scripts/test-rootless, part of `npm test`).
    exclude: [
      ...(process.env.npm_lifecycle_event === 'load' ? [] : ['test/load/**']),
      'node_modules/**',
      'test/e2e/rootless.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
