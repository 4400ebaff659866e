/**
 * Series with known steps under Gaussian noise, from a seeded generator, so every synthetic test
 * sees the same numbers on every machine.
 */

/** Mulberry32: a small 32-bit generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates by the Box-Muller transform. */
export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface Step {
  /** Index of the first run at the new level. */
  at: number;
  /** Factor applied to the level from that run on (1.2 = +20%). */
  factor: number;
}

/**
 * `length` runs around `base`, multiplied by each step's factor from its index on, each with
 * relative Gaussian noise of standard deviation `noise` (0.03 = 3% of the level).
 */
export function steppedSeries(options: {
  length: number;
  steps?: readonly Step[];
  noise: number;
  seed: number;
  base?: number;
}): number[] {
  const { length, steps = [], noise, seed, base = 100 } = options;
  const normal = seededNormal(seed);
  const series: number[] = [];
  for (let i = 0; i < length; i++) {
    const level = steps.reduce((value, step) => (i >= step.at ? value * step.factor : value), base);
    series.push(level * (1 + noise * normal()));
  }
  return series;
}
