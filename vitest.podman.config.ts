// The suite's Podman run (`npm run test:podman`, part of `npm test`): the chapter manifests and a
// representative part of the end-to-end suite, on the Podman API service that scripts/ensure-podman
// starts (scripts/test-podman points DOCKER_HOST at it and sets JOBCTL_E2E_ENGINE=podman).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/chapter.test.ts', 'test/e2e/lifecycle.test.ts', 'test/e2e/job-api.test.ts', 'test/e2e/exec.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
