import { eDivisive } from './e-divisive.js';

/**
 * The split step of Apache Otava's detector (Fleming et al., "Hunter: Using Change Point Detection
 * to Hunt for Performance Regressions", ICPE 2023): E-divisive on windows of `windowLen` points at
 * a relaxed significance level, and the union of what each window finds. These "weak" change
 * points are candidates; merge-change-points.ts decides which of them stand. Windows see a step
 * that a whole-series pass misses when larger steps elsewhere dominate the energy statistic.
 *
 * The next window starts half a window later, or at the last change point found if that is
 * further on, so a change near a window's end is seen again with data on both sides.
 * Returns series indices, ascending.
 */
export function weakChangePoints(series: readonly number[], windowLen: number, pValue: number): number[] {
  const found = new Set<number>();
  const step = Math.floor(windowLen / 2);
  let start = 0;
  while (start < series.length) {
    const end = Math.min(start + windowLen, series.length);
    const inWindow = eDivisive(series, start, end, pValue);
    for (const index of inWindow) found.add(index);
    start = Math.max(inWindow.at(-1) ?? 0, start + step);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Otava's relaxed level for the split step: 10× the final level below 0.05, 2× below 0.5, else the
 * level itself. A candidate that only reaches p = 0.005 inside one window may still reach 0.001
 * once the merge tests it against all the runs between its neighbours.
 */
export function firstPassPValue(maxPValue: number): number {
  if (maxPValue < 0.05) return maxPValue * 10;
  if (maxPValue < 0.5) return maxPValue * 2;
  return maxPValue;
}
