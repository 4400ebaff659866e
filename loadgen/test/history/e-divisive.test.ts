import { describe, expect, it } from 'vitest';
import { eDivisive, WindowDistances } from '../../src/history/e-divisive.js';
import { compareSegments } from '../../src/history/student-t-test.js';
import { seededNormal } from './helpers/synthetic-series.js';

/**
 * Q̂ of every (τ, κ) by its definition, O(n⁴): the energy statistic of Matteson & James as Apache
 * Otava's own calculator test spells it out. Returns the τ of the first maximum (τ, then κ).
 */
function bestSplitByDefinition(z: readonly number[]): { index: number; qhat: number } {
  let best = { index: 1, qhat: Number.NEGATIVE_INFINITY };
  for (let tau = 1; tau < z.length; tau++) {
    for (let kappa = tau + 1; kappa <= z.length; kappa++) {
      const x = z.slice(0, tau);
      const y = z.slice(tau, kappa);
      const n = x.length;
      const m = y.length;
      let between = 0;
      for (const a of x) for (const b of y) between += Math.abs(a - b);
      let withinX = 0;
      for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) withinX += Math.abs(x[i]! - x[k]!);
      let withinY = 0;
      for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) withinY += Math.abs(y[j]! - y[k]!);
      const q =
        (2 / (n + m)) * between -
        (n > 1 ? ((2 * m) / (n + m) / (n - 1)) * withinX : 0) -
        (m > 1 ? ((2 * n) / (n + m) / (m - 1)) * withinY : 0);
      if (q > best.qhat) best = { index: tau, qhat: q };
    }
  }
  return best;
}

// Apache Otava's change-point test sequence (its change_point_divisive test): three levels, with
// change points at 5 and 8 under its t-test at p ≤ 0.01.
const OTAVA_SEQUENCE = [
  0.3, 2.4, 1.5, -0.9, -0.5, 99.7, 98.3, 99.1, 149.0, 149.7, 149.5, 149.1, 148.8, 150.0,
];

describe('E-divisive best split', () => {
  it('scores splits as the energy statistic defines them', () => {
    const byDefinition = bestSplitByDefinition(OTAVA_SEQUENCE);
    const fast = new WindowDistances(OTAVA_SEQUENCE, 0, OTAVA_SEQUENCE.length).bestSplit(
      0,
      OTAVA_SEQUENCE.length,
    );
    expect(fast.index).toBe(byDefinition.index);
    expect(fast.qhat).toBeCloseTo(byDefinition.qhat, 9);
  });

  it('agrees with the definition on noisy series and on stretches inside a window', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const normal = seededNormal(seed);
      const z = Array.from({ length: 5 + (seed % 20) }, (_, i) => (i > 8 ? 3 : 0) + normal());
      const window = new WindowDistances([42, ...z, -7], 1, z.length + 1);
      const byDefinition = bestSplitByDefinition(z);
      const fast = window.bestSplit(0, z.length);
      expect(fast.index - 1, `seed ${seed}`).toBe(byDefinition.index);
      expect(fast.qhat).toBeCloseTo(byDefinition.qhat, 8);
      // A stretch in the middle of the window is scored on its own points only.
      const inner = bestSplitByDefinition(z.slice(2, z.length - 1));
      expect(window.bestSplit(2, z.length - 1).index - 1 - 2).toBe(inner.index);
    }
  });

  it("finds Otava's two change points of its test sequence, each split tested by the t-test", () => {
    expect(eDivisive(OTAVA_SEQUENCE, 0, OTAVA_SEQUENCE.length, 0.01)).toEqual([5, 8]);
  });

  it('works on a window of a longer series and reports series indices', () => {
    const series = [500, 500, ...OTAVA_SEQUENCE, -500];
    expect(eDivisive(series, 2, 2 + OTAVA_SEQUENCE.length, 0.01)).toEqual([7, 10]);
  });

  it('stops at the first best split that is not significant', () => {
    expect(eDivisive([1, 1.02, 0.98, 1.01, 0.99, 1, 1.03, 0.97], 0, 8, 0.01)).toEqual([]);
  });
});

describe("Student's t-test between segments, as Otava computes it", () => {
  // Otava's significance tester test: ten runs split at 5, the same values on both sides, then
  // a 20% drop.
  it("gives Otava's p-values (scipy's ttest_ind_from_stats with numpy's default std)", () => {
    const same = [1.0, 1.02, 1.05, 0.95, 0.98, 1.0, 1.02, 1.05, 0.95, 0.98];
    expect(compareSegments(same, 0, 5, 10).pValue).toBeCloseTo(1, 12);
    const drop = [1.0, 1.02, 1.05, 0.95, 0.98, 0.8, 0.82, 0.85, 0.79, 0.77];
    const result = compareSegments(drop, 0, 5, 10);
    // Reference values from SciPy 1.17: ttest_ind_from_stats(np.mean, np.std, n, ...).
    expect(result.pValue).toBeCloseTo(8.86790705295725e-6, 12);
    expect(result.meanBefore).toBeCloseTo(1.0, 12);
    expect(result.meanAfter).toBeCloseTo(0.806, 12);
    const steps = [10, 12, 11, 13, 12, 15, 14, 16];
    expect(compareSegments(steps, 0, 5, 8).pValue).toBeCloseTo(0.0028068388717531634, 12);
    expect(compareSegments(steps, 0, 1, 8).pValue).toBeCloseTo(0.11460432604184151, 12);
    expect(compareSegments(steps, 0, 7, 8).pValue).toBeCloseTo(0.08047021026716365, 12);
  });

  it('treats flat segments as certain when they differ and undecided when they do not', () => {
    expect(compareSegments([0.1, 0.1, 0.1, 0.1], 0, 2, 4).pValue).toBe(1);
    expect(compareSegments([50, 50, 50, 100, 100], 0, 3, 5).pValue).toBe(0);
    expect(compareSegments([1, 2], 0, 1, 2).pValue).toBe(1);
  });
});
