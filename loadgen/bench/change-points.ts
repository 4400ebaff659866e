// npx tsx bench/change-points.ts (in loadgen/): the time change-point detection takes over the
// largest history `loadgen history` is meant for, 1,000 runs × 12 endpoints × 6 metrics = 72 series of 1,000 points,
// each with two steps under 3% noise. Goal: well under the 5 s budget of `loadgen history`.
import { detectChangePoints } from '../src/history/change-points.js';
import { steppedSeries } from '../test/history/helpers/synthetic-series.js';

const SERIES = 72;
const RUNS = 1000;
const ROUNDS = 5;
const series = Array.from({ length: SERIES }, (_, i) =>
  steppedSeries({
    length: RUNS,
    steps: [
      { at: 300, factor: 1.2 },
      { at: 700, factor: 0.9 },
    ],
    noise: 0.03,
    seed: i + 1,
  }),
);

for (const s of series.slice(0, 10)) detectChangePoints(s); // warm-up: let V8 compile the hot loops
const rounds: number[] = [];
let found = 0;
let trueFound = 0;
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  found = 0;
  trueFound = 0;
  for (const s of series) {
    const indices = detectChangePoints(s).map((c) => c.index);
    found += indices.length;
    trueFound += [300, 700].filter((step) => indices.includes(step)).length;
  }
  rounds.push(performance.now() - started);
}
const best = Math.min(...rounds);
const median = [...rounds].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
console.log(
  `${SERIES} series × ${RUNS} runs: median ${median.toFixed(0)} ms, best ${best.toFixed(0)} ms ` +
    `(${(median / SERIES).toFixed(2)} ms per series, ${(median / 5000).toFixed(3)} of the 5 s budget); ` +
    `${found} change points; ${trueFound} of the ${SERIES * 2} true steps found at their run`,
);
