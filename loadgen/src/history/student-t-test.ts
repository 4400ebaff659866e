import jstat from 'jstat';

/** What separates two adjacent segments of a series: their means, spreads and a two-sided p-value. */
export interface SegmentComparison {
  meanBefore: number;
  meanAfter: number;
  /** Population standard deviation (divisor n) of the segment before, 0 for a single point. */
  stdDevBefore: number;
  stdDevAfter: number;
  /**
   * Probability of a difference of means at least this large if both segments had one mean,
   * by Student's two-sided t-test with pooled variance. 1 when it cannot be told (fewer than
   * three points in all, or two flat segments at the same level); 0 when two flat segments
   * differ (no spread, so any difference is certain).
   */
  pValue: number;
}

/**
 * Compares series[start, split) with series[split, end) the way Apache Otava's t-test significance
 * tester does, so that Otava's published expectations hold for our detector too: the population
 * standard deviations (numpy's default) go into the pooled-variance formula that expects sample
 * ones. That makes p-values of short segments a little smaller than the textbook test's; the false
 * positive rate measured in test/history/change-points.test.ts includes that effect.
 */
export function compareSegments(
  series: readonly number[],
  start: number,
  split: number,
  end: number,
): SegmentComparison {
  const before = moments(series, start, split);
  const after = moments(series, split, end);
  const n1 = split - start;
  const n2 = end - split;
  return {
    meanBefore: before.mean,
    meanAfter: after.mean,
    stdDevBefore: Math.sqrt(before.variance),
    stdDevAfter: Math.sqrt(after.variance),
    pValue: n1 + n2 > 2 ? pooledTTestPValue(before, n1, after, n2) : 1,
  };
}

interface Moments {
  mean: number;
  /** Population variance (divisor n). */
  variance: number;
}

/**
 * Mean and variance of series[from, to) in two passes. Values are taken relative to the segment's
 * first value, so a flat segment has exactly zero variance and two flat segments at one level
 * exactly equal means (a rounding residue would turn "no spread" into a random verdict).
 */
function moments(series: readonly number[], from: number, to: number): Moments {
  const n = to - from;
  const origin = series[from]!;
  let sum = 0;
  for (let i = from; i < to; i++) sum += series[i]! - origin;
  const offset = sum / n;
  let squares = 0;
  for (let i = from; i < to; i++) {
    const d = series[i]! - origin - offset;
    squares += d * d;
  }
  return { mean: origin + offset, variance: squares / n };
}

function pooledTTestPValue(before: Moments, n1: number, after: Moments, n2: number): number {
  const df = n1 + n2 - 2;
  const pooled = ((n1 - 1) * before.variance + (n2 - 1) * after.variance) / df;
  const difference = before.mean - after.mean;
  const standardError = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  if (standardError === 0) return difference === 0 ? 1 : 0;
  const t = Math.abs(difference / standardError);
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * jstat.studentt.cdf(-t, df));
}
