import { mergeChangePoints } from './merge-change-points.js';
import { compareSegments, type SegmentComparison } from './student-t-test.js';
import { firstPassPValue, weakChangePoints } from './weak-change-points.js';

/**
 * Change-point detection for a series of runs (one metric of one endpoint, oldest first): where
 * did its level change for good, as opposed to run-to-run noise?
 *
 * The method is Apache Otava's (formerly DataStax Hunter; Fleming et al., "Hunter: Using Change
 * Point Detection to Hunt for Performance Regressions", ICPE 2023), itself built on MongoDB's use
 * of E-divisive means in CI (Daly et al., "The Use of Change Point Detection to Identify Software
 * Performance Regressions in a Continuous Integration System", ICPE 2020):
 *  1. Split: E-divisive (e-divisive.ts) runs on overlapping windows of `windowLen` points with a
 *     relaxed significance level, and the union of what it finds are the "weak" change points.
 *  2. Merge (merge-change-points.ts): each weak change point is tested between its neighbours
 *     over the whole series; the least significant one, or once all are significant the smallest,
 *     is dropped and its neighbours re-tested, until every remaining one has p < maxPValue and a
 *     relative change larger than minRelativeChange.
 * No npm package implements E-divisive (the registry has a Bayesian online detector, a different
 * method), so this is our own TypeScript, checked against Otava's and MongoDB's published test
 * data in test/history/. One deliberate difference from Otava's code: after a drop we re-test
 * both neighbours of the dropped point, where Otava re-tests the next two (see RetestRule); with
 * Otava's order the tests reproduce every Tigerbeetle result Otava publishes.
 * Deterministic: no permutations, no random numbers; the same series gives the same answer.
 */

export interface ChangePointOptions {
  /**
   * Largest p-value (two-sided Student's t-test between the segments on either side) for a change
   * point to be reported. Default 0.001, Otava's default. The split step searches at a relaxed
   * level (10× it below 0.05, as Otava) so that the merge can weigh candidates one pass would miss.
   */
  maxPValue?: number;
  /**
   * Smallest change of the mean, relative, for a change point to be reported; compared with the
   * larger of |after/before − 1| and |before/after − 1| (Otava's "magnitude"), so a drop counts as
   * much as the rise that undoes it. Default 0.05 (5%): a shift that small is rarely worth a
   * bisect, and at 3% run-to-run noise it keeps flat series quiet (false-positive rate measured in
   * test/history/change-points.test.ts). Otava's own default is 0 (its CLI flag -M); the "old
   * defaults" its Tigerbeetle tests keep use 5%. 0 turns the filter off.
   */
  minRelativeChange?: number;
  /**
   * Smallest change of the mean, absolute, in the series' own unit, for a change point to be
   * reported. Default 0 (off, as in Otava). For a series that sits at 0, where a relative change
   * means nothing: an error ratio of exactly 0 has no spread, so without a floor any blip is
   * p = 0 and a "100%" change.
   */
  minAbsoluteChange?: number;
  /**
   * Points per window of the split step; windows overlap by half. Default 50, Otava's default. A
   * window should hold at most a few changes: larger windows resist noise better but can miss a
   * short-lived regression; smaller ones see more.
   */
  windowLen?: number;
}

export const DEFAULT_CHANGE_POINT_OPTIONS: Required<ChangePointOptions> = {
  maxPValue: 0.001,
  minRelativeChange: 0.05,
  minAbsoluteChange: 0,
  windowLen: 50,
};

export interface ChangePoint extends SegmentComparison {
  /** Index of the first point after the change (never 0). */
  index: number;
  /** meanAfter / meanBefore − 1 (0.2 = 20% higher after); null when meanBefore is 0. */
  relativeChange: number | null;
}

/**
 * The change points of `series`, ascending by index. Each compares the segment since the previous
 * change point (or the start) with the segment up to the next one (or the end).
 * Throws RangeError for a non-finite value or an option out of range.
 */
export function detectChangePoints(
  series: readonly number[],
  options: ChangePointOptions = {},
): ChangePoint[] {
  const { maxPValue, minRelativeChange, minAbsoluteChange, windowLen } = validateOptions(options);
  validateSeries(series);
  const weak = weakChangePoints(series, windowLen, firstPassPValue(maxPValue));
  const kept = mergeChangePoints(series, weak, maxPValue, minRelativeChange, 'neighbours', minAbsoluteChange);
  return kept.map((index, i) => {
    const comparison = compareSegments(series, kept[i - 1] ?? 0, index, kept[i + 1] ?? series.length);
    return { index, ...comparison, relativeChange: relativeChange(comparison) };
  });
}

function validateOptions(options: ChangePointOptions): Required<ChangePointOptions> {
  const merged = { ...DEFAULT_CHANGE_POINT_OPTIONS, ...definedOnly(options) };
  const { maxPValue, minRelativeChange, minAbsoluteChange, windowLen } = merged;
  if (!(maxPValue > 0 && maxPValue <= 1)) {
    throw new RangeError(`maxPValue must be in (0, 1], got ${maxPValue}; 0.001 is the default.`);
  }
  if (!(minRelativeChange >= 0 && Number.isFinite(minRelativeChange))) {
    throw new RangeError(
      `minRelativeChange must be a finite fraction ≥ 0 (0.05 = 5%), got ${minRelativeChange}.`,
    );
  }
  if (!(minAbsoluteChange >= 0 && Number.isFinite(minAbsoluteChange))) {
    throw new RangeError(`minAbsoluteChange must be a finite number ≥ 0, got ${minAbsoluteChange}.`);
  }
  if (!(Number.isInteger(windowLen) && windowLen >= 2)) {
    throw new RangeError(`windowLen must be an integer ≥ 2, got ${windowLen}; 50 is the default.`);
  }
  return merged;
}

function definedOnly(options: ChangePointOptions): ChangePointOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function validateSeries(series: readonly number[]): void {
  for (let i = 0; i < series.length; i++) {
    if (!Number.isFinite(series[i])) {
      throw new RangeError(
        `series[${i}] is ${series[i]}: change points need a finite value for every run; ` +
          'leave runs without the metric out of the series (or carry the previous value forward).',
      );
    }
  }
}

function relativeChange({ meanBefore, meanAfter }: SegmentComparison): number | null {
  return meanBefore === 0 ? null : meanAfter / meanBefore - 1;
}
