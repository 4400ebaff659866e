// 5,000 closed-model players of the scripted game pattern (bench/game-5000.ts), with its think
// time: loadgen's peak RSS as it runs by default, then with each of its two memory choices undone.
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startWithPort } from '../child-process.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, work } from '../settings.js';

/**
 * 5,000 closed-model players of the scripted game pattern, with its think time: peak RSS as
 * loadgen runs by default (lean client, heap growth tuned by src/cli/gc-tuning.ts), then with
 * undici, then with V8's default heap growth, side by side.
 */
async function scriptedMemory(): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'game-target.mjs'),
  ]);
  try {
    // loadgen as a user runs it, then with one of its two memory choices undone each time.
    const variants = [
      ['loadgen default (lean client, heap growth 1.3x)', 'default', [], []],
      ['--http-client undici', 'undici', [], ['--http-client', 'undici']],
      ["lean client, V8's default heap growth", 'v8-growth', ['--heap-growing-percent=0'], []],
    ] as const;
    for (const [label, dir, nodeFlags, args] of variants) {
      const { r, summary: s } = await runLoadgen<{
        totals: { requests: number; errors: number; peakUsers: number };
      }>({
        nodeFlags,
        args: [...args],
        scenario: join(BENCH_DIR, 'game-5000.ts'),
        target: `http://127.0.0.1:${port}`,
        out: join(work, `rss-game-${dir}`),
      });
      console.log(
        `memory, scripted game pattern, ${label}: 5000 closed-model players (think 0.5-1.5 s, 20 s): peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (target <= 200), ` +
          `peak users ${s.totals.peakUsers}, ${s.totals.requests} requests, ${s.totals.errors} errors, ` +
          `client CPU ${r.cpuSec?.toFixed(1) ?? 'n/a'} s`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

export const gameMemoryBenchmark: Benchmark = {
  name: 'game-memory',
  about:
    'peak RSS with 5,000 players of the game script: as run by default, with undici, with V8 heap growth',
  run: scriptedMemory,
};
