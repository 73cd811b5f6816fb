import { defineConfig } from 'vitest/config';

/** The crash loop (npm run test:chaos): the local stack killed ten times during bursts of work. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Ten restarts of the whole stack (DynamoDB Local, clamd, SMTP, the stream pollers) on a shared two-core machine.
    testTimeout: 1_200_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
