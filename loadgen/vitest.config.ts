import { defineConfig } from 'vitest/config';

/** Test files that time real runs against game-api: they run after every other file, alone. */
const ALONE = ['test/history/history-real-runs.test.ts'];

export default defineConfig({
  test: {
    // Builds dist/ once: the CLI tests run the real binary, worker threads load dist/run/part-worker.js.
    globalSetup: ['test/helpers/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores shared with the servers under test: more parallel files only add noise.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'loadgen', include: ['test/**/*.test.ts'], exclude: ALONE } },
      // Their verdicts rest on run-to-run latency: another test file starting or ending in the
      // middle of their runs changes the machine under them, so they get it to themselves.
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
