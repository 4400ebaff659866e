import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once: the CLI tests run the real binary, worker threads load dist/run/part-worker.js.
    globalSetup: ['test/helpers/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores shared with the servers under test: more parallel files only add noise.
    maxWorkers: 2,
  },
});
