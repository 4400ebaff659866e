import { compareSegments, type SegmentComparison } from './student-t-test.js';

/**
 * Which change points are re-tested after a neighbour is dropped. `neighbours`: the one before
 * and the one after the dropped point, whose segments both grew; ours. `as-otava`: the one after
 * and the one after that, as Apache Otava's merge does (an off-by-one there, we believe: the
 * point before keeps statistics of a segment that no longer exists, so Otava can report change
 * points that fail its own thresholds; test/history/otava-data.test.ts shows one). Kept so the
 * tests can show that with Otava's order we reproduce Otava's published results exactly.
 */
export type RetestRule = 'neighbours' | 'as-otava';

/**
 * The merge step of Apache Otava's detector: starting from the weak change points (ascending),
 * test each between its neighbours over the whole series; while one has p ≥ maxPValue drop the
 * least significant, and once all are significant drop the one of smallest magnitude while it is
 * ≤ minRelativeChange; after each drop re-test the points whose segments changed. Returns the
 * kept indices, ascending.
 *
 * `minAbsoluteChange` (ours; 0 = Otava's behaviour) also drops, smallest magnitude first, a point
 * whose means differ by no more than it: a series that sits at exactly 0 (an error ratio) has no
 * spread, so any blip there is "certain" (p = 0) and "100%", however small.
 */
export function mergeChangePoints(
  series: readonly number[],
  weak: readonly number[],
  maxPValue: number,
  minRelativeChange: number,
  retest: RetestRule = 'neighbours',
  minAbsoluteChange = 0,
): number[] {
  const indices = [...weak];
  const compare = (i: number): SegmentComparison =>
    compareSegments(series, indices[i - 1] ?? 0, indices[i]!, indices[i + 1] ?? series.length);
  const stats = indices.map((_, i) => compare(i));
  while (indices.length > 0) {
    let weakest = argBest(
      stats,
      (s) => s.pValue,
      (a, b) => a > b,
    );
    if (stats[weakest]!.pValue < maxPValue) {
      const tooSmall = (s: SegmentComparison) =>
        magnitude(s) <= minRelativeChange || Math.abs(s.meanAfter - s.meanBefore) <= minAbsoluteChange;
      // Without an absolute floor this is Otava's rule: the smallest magnitude goes, if too small.
      weakest = argBest(
        stats,
        (s) => (tooSmall(s) ? magnitude(s) : Number.POSITIVE_INFINITY),
        (a, b) => a < b,
      );
      if (!tooSmall(stats[weakest]!)) break;
    }
    indices.splice(weakest, 1);
    stats.splice(weakest, 1);
    const changed = retest === 'neighbours' ? [weakest - 1, weakest] : [weakest, weakest + 1];
    for (const i of changed) {
      if (i >= 0 && i < indices.length) stats[i] = compare(i);
    }
  }
  return indices;
}

/**
 * Otava's magnitude of a change: the larger of |after/before − 1| and |before/after − 1|, so a
 * halving counts as much as the doubling that undoes it; from or to 0 it is 1 (100%).
 */
export function magnitude({ meanBefore, meanAfter }: Pick<SegmentComparison, 'meanBefore' | 'meanAfter'>) {
  const forward = meanBefore === 0 ? 0 : meanAfter / meanBefore - 1;
  const backward = meanAfter === 0 ? 0 : meanBefore / meanAfter - 1;
  return Math.max(Math.abs(forward), Math.abs(backward));
}

/** Index of the first item whose key is better than every other's (ties: the first). */
function argBest<T>(
  items: readonly T[],
  key: (item: T) => number,
  better: (a: number, b: number) => boolean,
) {
  let best = 0;
  for (let i = 1; i < items.length; i++) {
    if (better(key(items[i]!), key(items[best]!))) best = i;
  }
  return best;
}
