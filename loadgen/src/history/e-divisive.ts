import { compareSegments } from './student-t-test.js';

/**
 * E-divisive means (Matteson & James, "A Nonparametric Approach for Multiple Change Point Analysis
 * of Multivariate Data", 2014) on one window of a series, with the significance of each split
 * decided by Student's t-test instead of a permutation test, as Apache Otava (formerly DataStax
 * Hunter) does: deterministic, and cheap enough to run over every series of a history.
 *
 * Written for this project after reading Otava's and MongoDB's signal-processing-algorithms
 * implementations (no npm package implements E-divisive); weak-change-points.ts runs it on Otava's
 * sliding windows and merge-change-points.ts keeps the change points that stand.
 */

/** The split that best separates a stretch of the series: series[from, index) against what follows. */
export interface Candidate {
  /** First point of the second part. */
  index: number;
  /** The energy statistic Q̂ of the split: larger means more different distributions. */
  qhat: number;
}

/**
 * Sums of pairwise distances |z_i - z_j| over rectangles of series[start, end), from a 2-D prefix
 * sum: O(w²) to build for a window of w points, then O(1) per rectangle, so every (τ, κ) pair of
 * the window is scored in O(w²) in all.
 */
export class WindowDistances {
  readonly start: number;
  readonly length: number;
  private readonly stride: number;
  /** prefix[i * stride + j] = Σ_{a<i, b<j} |z_{start+a} - z_{start+b}|. */
  private readonly prefix: Float64Array;

  constructor(series: readonly number[], start: number, end: number) {
    this.start = start;
    this.length = end - start;
    this.stride = this.length + 1;
    this.prefix = new Float64Array(this.stride * this.stride);
    for (let i = 0; i < this.length; i++) {
      const zi = series[start + i]!;
      let row = 0;
      for (let j = 0; j < this.length; j++) {
        row += Math.abs(zi - series[start + j]!);
        this.prefix[(i + 1) * this.stride + j + 1] = this.prefix[i * this.stride + j + 1]! + row;
      }
    }
  }

  /** Σ |z_a - z_b| for a in [a0, a1), b in [b0, b1), window-local indices. */
  sum(a0: number, a1: number, b0: number, b1: number): number {
    const p = this.prefix;
    const s = this.stride;
    return p[a1 * s + b1]! - p[a0 * s + b1]! - p[a1 * s + b0]! + p[a0 * s + b0]!;
  }

  /**
   * The best split of the window-local stretch [from, to) (at least two points): the τ of the pair
   * (τ, κ), from < τ < κ ≤ to, that maximises
   *   Q̂ = 2/(n+m)·Σ|x−y| − 2m/((n+m)(n−1))·Σ_{i<k}|x_i−x_k| − 2n/((n+m)(m−1))·Σ_{j<k}|y_j−y_k|
   * with X = [from, τ) of n points and Y = [τ, κ) of m points. Letting Y stop before the end (κ)
   * finds a step that a later step would otherwise blur. Ties go to the smallest τ, then κ, as
   * Otava's argmax over its Q matrix does. Returns a series index.
   */
  bestSplit(from: number, to: number): Candidate {
    let best = Number.NEGATIVE_INFINITY;
    let bestTau = from + 1;
    for (let tau = from + 1; tau < to; tau++) {
      const n = tau - from;
      const withinX = n > 1 ? this.sum(from, tau, from, tau) / 2 / (n - 1) : 0;
      for (let kappa = tau + 1; kappa <= to; kappa++) {
        const m = kappa - tau;
        const total = kappa - from;
        const withinY = m > 1 ? this.sum(tau, kappa, tau, kappa) / 2 / (m - 1) : 0;
        const q = (2 * (this.sum(from, tau, tau, kappa) - m * withinX - n * withinY)) / total;
        if (q > best) {
          best = q;
          bestTau = tau;
        }
      }
    }
    return { index: this.start + bestTau, qhat: best };
  }
}

/**
 * Change points of series[start, end) by divisive E-divisive: split the stretch whose best split
 * scores highest, keep the split while the t-test between the two parts of that stretch gives
 * p ≤ maxPValue, and stop at the first that does not. Returns series indices, ascending.
 */
export function eDivisive(
  series: readonly number[],
  start: number,
  end: number,
  maxPValue: number,
): number[] {
  const window = new WindowDistances(series, start, end);
  // Boundaries of the stretches, window-local: 0, the change points found so far, the window's length.
  const bounds = [0, window.length];
  // The best split of each stretch, by its start: a stretch's best split is computed once.
  const candidates = new Map<number, Candidate | undefined>();
  const candidateOf = (from: number, to: number): Candidate | undefined => {
    if (!candidates.has(from)) candidates.set(from, to - from > 1 ? window.bestSplit(from, to) : undefined);
    return candidates.get(from);
  };
  for (;;) {
    let chosen: { candidate: Candidate; from: number; to: number; at: number } | undefined;
    for (let b = 0; b + 1 < bounds.length; b++) {
      const from = bounds[b]!;
      const to = bounds[b + 1]!;
      const candidate = candidateOf(from, to);
      if (candidate !== undefined && (chosen === undefined || candidate.qhat > chosen.candidate.qhat)) {
        chosen = { candidate, from, to, at: b + 1 };
      }
    }
    if (chosen === undefined) break;
    const { candidate, from, to, at } = chosen;
    const { pValue } = compareSegments(series, start + from, candidate.index, start + to);
    if (!(pValue <= maxPValue)) break;
    const local = candidate.index - start;
    bounds.splice(at, 0, local);
    candidates.delete(from);
  }
  return bounds.slice(1, -1).map((local) => start + local);
}
