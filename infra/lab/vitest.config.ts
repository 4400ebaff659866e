import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end test brings up MariaDB, Redis, Prometheus and game-api and runs three short
    // load tests; it reports its own progress. Files run one after another: they share ports.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
