import { describe, expect, it } from 'vitest';
import { detectChangePoints } from '../../src/history/change-points.js';

/**
 * The examples of MongoDB's signal-processing-algorithms test suite (its detection and E-divisive
 * tests), the library behind Daly et al., "The Use of Change Point Detection to Identify Software
 * Performance Regressions in a Continuous Integration System" (ICPE 2020). The paper shows MongoDB's
 * CI data only as plots, so these small series are the published data of that work. MongoDB tests
 * a split with a permutation test (p ≤ 0.01, fixed seed); we use Otava's t-test at our defaults,
 * and where the answers differ the reason is stated beside the case.
 */
const indices = (series: readonly number[]) => detectChangePoints(series).map((c) => c.index);
const level = (length: number, value: number) => Array.from({ length }, () => value);

describe("MongoDB's E-divisive examples", () => {
  it('finds a simple regression', () => {
    expect(indices([...level(15, 50), ...level(15, 100)])).toEqual([15]);
  });

  it('is not fooled by a single outlier before the regression', () => {
    const series = [...level(15, 50), ...level(15, 100)];
    series[2] = 100;
    expect(indices(series)).toEqual([15]);
  });

  it('finds two regressions', () => {
    const series = [...level(15, 50), ...level(15, 100), ...level(15, 150)];
    series[2] = 100;
    expect(indices(series)).toEqual([15, 30]);
  });

  it('finds nothing in a flat series', () => {
    expect(indices(level(30, 50))).toEqual([]);
  });

  it('finds the one step of a long two-level series ("absolute certainty")', () => {
    expect(indices([...level(1000, 0), ...level(1000, 1)])).toEqual([1000]);
  });

  it('finds a regression and its recovery', () => {
    // 50 with outliers at 2 and 32, and 100 on runs 15-29. MongoDB's test, with its permutation
    // seed, expects the recovery at 33, after the outlier; the t-test puts it where the level
    // returns, at 30.
    const series = level(45, 50);
    for (let i = 15; i < 30; i++) series[i] = 100;
    series[2] = 100;
    series[32] = 100;
    expect(indices(series)).toEqual([15, 30]);
  });

  it('finds the regressions in noisy-looking data', () => {
    // Runs 0-19 drawn from 1-50, 20-39 from 60-120, 40-59 from 150-250. MongoDB expects 20 and
    // 40. The t-test also reports 50, just inside p ≤ 0.001: the last ten draws happen to average
    // 23% above the ten before them, which MongoDB's permutation test does not find significant.
    const series = [
      41, 18, 23, 3, 32, 11, 40, 13, 29, 48, 47, 35, 18, 21, 6, 2, 23, 3, 4, 7, 120, 103, 102, 81, 71, 62,
      115, 61, 108, 63, 70, 98, 65, 96, 64, 74, 70, 113, 90, 114, 208, 196, 153, 150, 225, 179, 206, 165, 177,
      151, 218, 217, 244, 245, 229, 195, 225, 229, 176, 250,
    ];
    const changes = detectChangePoints(series);
    expect(changes.map((c) => c.index)).toEqual([20, 40, 50]);
    expect(changes[2]!.meanBefore).toBeCloseTo(181, 9);
    expect(changes[2]!.meanAfter).toBeCloseTo(222.8, 9);
    expect(changes[2]!.pValue).toBeGreaterThan(0.0005);
  });

  it('reports a lone in-between value between two flat levels as its own level', () => {
    // MongoDB expects one change point for 50×14, 74, 100×15 (at 15) and for 50×14, 76, 100×15
    // (at 14). Flat segments have no spread, so the t-test is certain that the lone value differs
    // from both sides, and Otava's method reports both edges. Real runs are never this flat.
    expect(indices([...level(14, 50), 74, ...level(15, 100)])).toEqual([14, 15]);
    expect(indices([...level(14, 50), 76, ...level(15, 100)])).toEqual([14, 15]);
  });
});
