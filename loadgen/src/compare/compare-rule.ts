/**
 * The noise-resistant rule behind every regressed / improved / unchanged verdict (docs/reports.md
 * "The compare rule"). A latency change counts only when it is larger than BOTH the relative and
 * the absolute tolerance: the relative one ignores jitter on slow endpoints, the absolute one
 * ignores a 0.4 ms -> 0.6 ms "+50%" on fast ones. And the change must hold between the ends of
 * the two percentiles' confidence intervals, not just their point values, so a p95 of 30
 * requests (one slow login burst) does not count where a p95 of 3,000 would. Endpoints with
 * fewer samples than `minSamples` on either side get a verdict only when the two runs do not
 * overlap at all (see `judgeSeparation`); otherwise none.
 */
export interface Tolerance {
  /** Fraction of the baseline value (0.1 = 10%). */
  relative: number;
  /** Milliseconds. */
  absoluteMs: number;
}

export interface CompareRule {
  p50: Tolerance;
  p95: Tolerance;
  /** Shown and marked, but alone it does not decide a verdict: a tail of a short run is a few requests. */
  p99: Tolerance;
  minSamples: number;
  /**
   * Below `minSamples`, this many requests on each side still get a verdict when every request
   * of one run is slower than every request of the other by more than the p50 tolerance. With
   * n and m requests such a complete separation happens by chance with probability
   * 1 / C(n+m, n) (Mann-Whitney U = 0): under 0.4% at 5 and 5, under 1e-14 at 25 and 25.
   */
  minSeparatedSamples: number;
  /**
   * Width of each percentile's distribution-free confidence interval, in standard errors of the
   * rank: percentile q of n requests lies between the values at q ± z·sqrt(q(1−q)/n). 1.96 ≈ 95%.
   */
  confidenceZ: number;
  /** Error rate: regressed when it rises by more than this many percentage points... */
  errorRatePoints: number;
  /** ...and to more than this multiple of the baseline's rate. */
  errorRateFactor: number;
}

export const DEFAULT_COMPARE_RULE: CompareRule = {
  p50: { relative: 0.1, absoluteMs: 10 },
  p95: { relative: 0.2, absoluteMs: 25 },
  p99: { relative: 0.3, absoluteMs: 50 },
  minSamples: 30,
  minSeparatedSamples: 5,
  confidenceZ: 1.96,
  errorRatePoints: 1,
  errorRateFactor: 2,
};

export type Flag = 'regressed' | 'improved' | 'unchanged';

/** A percentile's point value and the ends of its confidence interval, ms. */
export interface PercentileRange {
  value: number;
  low: number;
  high: number;
}

/**
 * Judge one latency percentile (higher is worse): regressed when even the candidate's low end
 * exceeds the baseline's high end by more than the tolerance (relative to the baseline's value).
 */
export function judgeLatency(base: PercentileRange, candidate: PercentileRange, tolerance: Tolerance): Flag {
  const bound = Math.max(tolerance.absoluteMs, tolerance.relative * base.value);
  if (candidate.low - base.high > bound) return 'regressed';
  if (base.low - candidate.high > bound) return 'improved';
  return 'unchanged';
}

/**
 * For small samples: regressed when the candidate's fastest request is slower than the
 * baseline's slowest by more than the tolerance (relative to the baseline's median), improved
 * the other way round, otherwise no verdict (undefined).
 */
export function judgeSeparation(
  base: { min: number; max: number; p50: number },
  candidate: { min: number; max: number },
  tolerance: Tolerance,
): Flag | undefined {
  const bound = Math.max(tolerance.absoluteMs, tolerance.relative * base.p50);
  if (candidate.min - base.max > bound) return 'regressed';
  if (base.min - candidate.max > bound) return 'improved';
  return undefined;
}

/** Judge an error rate (0..1, higher is worse). */
export function judgeErrorRate(base: number, candidate: number, rule: CompareRule): Flag {
  const points = rule.errorRatePoints / 100;
  if (candidate - base > points && candidate > base * rule.errorRateFactor) return 'regressed';
  if (base - candidate > points && base > candidate * rule.errorRateFactor) return 'improved';
  return 'unchanged';
}

/** Parse `10%,10ms` (either part optional, any order) onto a default tolerance, for CLI flags. */
export function parseTolerance(text: string, fallback: Tolerance): Tolerance | undefined {
  const out = { ...fallback };
  for (const part of text.split(',').map((p) => p.trim())) {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(part);
    const ms = /^(\d+(?:\.\d+)?)ms$/.exec(part);
    if (pct?.[1] !== undefined) out.relative = Number(pct[1]) / 100;
    else if (ms?.[1] !== undefined) out.absoluteMs = Number(ms[1]);
    else return undefined;
  }
  return out;
}
