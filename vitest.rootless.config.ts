// The rootless run (`scripts/test-rootless`, part of `npm test`): as a non-root user whose engine
// is rootless Podman, the chapter manifests and what is particular to rootless engines.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/chapter.test.ts', 'test/e2e/rootless.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
