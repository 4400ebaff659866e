import { describe, expect, it } from 'vitest';
import type { HistoryRun, HistorySettings, MetricHistory } from '../../src/history/history-types.js';
import { DEFAULT_HISTORY_SETTINGS } from '../../src/history/run-history.js';
import { seriesChangePoints } from '../../src/history/series-change-points.js';
import { steppedSeries } from './helpers/synthetic-series.js';

/**
 * How often `history --fail-on regression` fails a build for nothing, and how soon it fails for a
 * real regression, on synthetic series (3% Gaussian noise, seeded). A history checks every figure
 * of every endpoint at once, so the rate that matters is the whole history's: here 36 independent
 * latency figures, what 12 endpoints' p50, p95 and p99 give (in real runs the three percentiles of
 * one endpoint move together, so this overstates the count of independent chances).
 */
const SEEDS = 400;
const FIGURES = 36;
const LENGTH = 40;

const runs: HistoryRun[] = Array.from({ length: LENGTH }, (_, i) => ({
  testid: `run-${i}`,
  startedAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
  path: `run-${i}/summary.json`,
  label: 'nightly',
  fault: null,
  thresholds: [],
  parts: 1,
}));
const figure = (values: number[]): MetricHistory => ({
  endpoint: 'GET /x',
  kind: 'http',
  metric: 'p95',
  unit: 'ms',
  values,
  changePoints: [],
});
const fails = (values: number[], settings: HistorySettings, at?: number) =>
  seriesChangePoints({ id: 's', model: 'closed', runs }, figure(values), settings, new Set()).some(
    (c) => c.failing && (at === undefined || Math.abs(c.runIndex - at) <= 1),
  );

/** Flat histories of FIGURES figures that fail the build, out of SEEDS. */
function flatHistoriesFailing(settings: HistorySettings): number {
  let failed = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (let f = 0; f < FIGURES; f++) {
      if (fails(steppedSeries({ length: LENGTH, noise: 0.03, seed: seed * 1000 + f }), settings)) {
        failed++;
        break;
      }
    }
  }
  return failed;
}

/** Series with a +20% step `runsAfter` runs before their end whose build fails, out of SEEDS. */
function stepsCaught(settings: HistorySettings, runsAfter: number): number {
  let caught = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const at = LENGTH - runsAfter;
    const values = steppedSeries({ length: LENGTH, noise: 0.03, seed, steps: [{ at, factor: 1.2 }] });
    if (fails(values, settings, at)) caught++;
  }
  return caught;
}

describe(`false alarms of --fail-on regression (${LENGTH} runs, 3% noise, ${SEEDS} seeds)`, () => {
  it(`fails under 2% of flat ${FIGURES}-figure histories with the defaults (p ≤ 0.0001)`, () => {
    const strict = flatHistoriesFailing(DEFAULT_HISTORY_SETTINGS);
    const otava = flatHistoriesFailing({ ...DEFAULT_HISTORY_SETTINGS, maxPValue: 0.001 });
    console.log(
      `flat ${FIGURES}-figure histories failing: ${strict}/${SEEDS} at p ≤ 0.0001 (the default), ${otava}/${SEEDS} at Otava's 0.001`,
    );
    // Measured 4/400 (1%) at the default and 13/400 (3.3%) at 0.001.
    expect(strict / SEEDS).toBeLessThan(0.02);
    expect(otava).toBeGreaterThan(strict);
  });

  it('fails for a +20% step from its second run on, almost always', () => {
    const caught = [2, 3, 4].map((k) => stepsCaught(DEFAULT_HISTORY_SETTINGS, k));
    console.log(`+20% step failing the build with 2, 3, 4 runs after it: ${caught.join(', ')} of ${SEEDS}`);
    // Measured 397, 400, 400 of 400.
    for (const c of caught) expect(c / SEEDS).toBeGreaterThanOrEqual(0.95);
    // With one run after it, the change has not held long enough to fail a build.
    expect(stepsCaught(DEFAULT_HISTORY_SETTINGS, 1)).toBe(0);
  });

  it('stops failing once the change is older than the last 5 runs, or accepted', () => {
    const values = steppedSeries({ length: LENGTH, noise: 0.03, seed: 3, steps: [{ at: 30, factor: 1.2 }] });
    const found = seriesChangePoints(
      { id: 's', model: 'closed', runs },
      figure(values),
      DEFAULT_HISTORY_SETTINGS,
      new Set(),
    );
    expect(found.map((c) => [c.runIndex, c.verdict, c.failing])).toEqual([[30, 'regression', false]]);
    const recent = values.slice(0, 33);
    const shortRuns = runs.slice(0, 33);
    const [change] = seriesChangePoints(
      { id: 's', model: 'closed', runs: shortRuns },
      figure(recent),
      DEFAULT_HISTORY_SETTINGS,
      new Set(),
    );
    expect([change?.runIndex, change?.failing]).toEqual([30, true]);
    const [accepted] = seriesChangePoints(
      { id: 's', model: 'closed', runs: shortRuns },
      figure(recent),
      DEFAULT_HISTORY_SETTINGS,
      new Set(['run-30']),
    );
    expect([accepted?.accepted, accepted?.failing]).toEqual([true, false]);
  });
});
