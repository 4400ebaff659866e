// What custom measurements cost: the game pattern with one vu.time and one counter per
// iteration against the same pattern without them, side by side in alternating rounds against
// the game target (bench/side-by-side.ts; req/s, target >= 0.95x);
// and 5,000 players recording a custom timing per iteration (peak RSS, target <= 200 MB).
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startWithPort } from '../child-process.js';
import { measured } from '../measured.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, SECONDS, USERS, work } from '../settings.js';
import { sideBySide, type Variant } from '../side-by-side.js';

type Totals = {
  totals: { requests: number; errors: number; peakUsers: number };
  run: { elapsedSec: number };
  endpoints: { endpoint: string; count: number }[];
};

/** The game target (bench/game-target.mjs) on core 1 while `use` runs; stopped after. */
async function withGameTarget(use: (target: string) => Promise<void>): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'game-target.mjs'),
  ]);
  try {
    await use(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
  }
}

/** One side: the game pattern from `file` against the target sideBySide started, as `loadgen run` measures it. */
function gamePattern(name: string, file: string): Variant {
  let round = 0;
  return {
    name,
    run: async (url) => {
      round++;
      const { r, summary: s } = await runLoadgen<Totals>({
        scenario: join(BENCH_DIR, file),
        // sideBySide gives the target's root URL; the scenario's paths start with their own "/".
        target: url.replace(/\/$/, ''),
        out: join(work, `custom-${round}-${file.replace(/\W+/g, '-')}`),
        args: ['-d', `${SECONDS}s`, '--http-client', 'lean'],
      });
      if (s.totals.errors > 0) throw new Error(`${name}: ${s.totals.errors} errors`);
      return measured(s.totals.requests, s.run.elapsedSec, r.cpuSec);
    },
  };
}

const throughput = () =>
  sideBySide(
    `custom measurements: the game pattern, 50 users, no think time, lean client, ${SECONDS} s each`,
    gamePattern('without custom measurements', 'game-no-think.ts'),
    gamePattern('one vu.time and one counter per iteration', 'game-no-think-measured.ts'),
    0.95,
    'game-target.mjs',
  );

const MEMORY_VARIANTS = [
  ['the game script (bench/game-5000.ts)', 'game-5000.ts'],
  ['each iteration timed and counted (bench/game-5000-measured.ts)', 'game-5000-measured.ts'],
] as const;

async function memory(): Promise<void> {
  await withGameTarget(async (target) => {
    for (const [label, file] of MEMORY_VARIANTS) {
      const { r, summary: s } = await runLoadgen<Totals>({
        scenario: join(BENCH_DIR, file),
        target,
        out: join(work, `custom-rss-${file.replace(/\W+/g, '-')}`),
        args: ['--users', String(USERS)],
      });
      const loops = s.endpoints.find((e) => e.endpoint === 'game loop')?.count;
      console.log(
        `memory, ${label}: ${USERS} closed-model players (think 0.5-1.5 s, 20 s): peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (target <= 200), ` +
          `peak users ${s.totals.peakUsers}, ${s.totals.requests} requests, ${s.totals.errors} errors${loops === undefined ? '' : `, ${loops} loops timed`}`,
      );
    }
  });
}

export const customMetricsBenchmark: Benchmark = {
  name: 'custom',
  about: 'the game pattern with one vu.time and one counter per iteration against without: req/s',
  run: throughput,
};

export const customMemoryBenchmark: Benchmark = {
  name: 'custom-memory',
  about: `peak RSS with ${USERS} players timing every iteration (vu.time, a counter), beside the same without`,
  run: memory,
};
