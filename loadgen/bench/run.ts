// npm run bench -w loadgen [-- <name>...]: loadgen's benchmarks (bench/benchmarks/, one file
// each), all of them in this order, or those named (BENCH_ONLY=<name> picks one too). Not part of
// the tests; needs `npm run build -w loadgen` first. loadgen/README.md, "Benchmark", has the
// knobs (BENCH_SECONDS, ...) and the figures measured with them.
import type { Benchmark } from './benchmark.js';
import { customMemoryBenchmark, customMetricsBenchmark } from './benchmarks/custom-metrics.js';
import { dashboardBenchmark } from './benchmarks/dashboard.js';
import { gameBenchmark } from './benchmarks/game.js';
import { gameMemoryBenchmark } from './benchmarks/game-memory.js';
import { healthBenchmark } from './benchmarks/health.js';
import { historyBenchmark } from './benchmarks/history.js';
import { memoryBenchmark } from './benchmarks/memory.js';
import { throughputBenchmark } from './benchmarks/throughput.js';
import { wsBenchmark } from './benchmarks/ws.js';

const BENCHMARKS: readonly Benchmark[] = [
  throughputBenchmark,
  memoryBenchmark,
  gameBenchmark,
  gameMemoryBenchmark,
  wsBenchmark,
  customMetricsBenchmark,
  customMemoryBenchmark,
  historyBenchmark,
  dashboardBenchmark,
  healthBenchmark,
];

const list = (): string => BENCHMARKS.map((b) => `  ${b.name.padEnd(14)} ${b.about}`).join('\n');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run bench -w loadgen [-- <name>...]  (no name: all, in this order)\n${list()}`);
  process.exit(0);
}
const names = args.length > 0 ? args : (process.env.BENCH_ONLY?.split(',') ?? []);
const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; pick from:\n${list()}`);
  process.exit(2);
}
const picked = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
for (const [i, benchmark] of picked.entries()) {
  if (i > 0) console.log('');
  await benchmark.run();
}
