import { DEFAULT_CHANGE_POINT_OPTIONS } from './change-points.js';
import type { History, HistoryChangePoint, HistorySeries, HistorySettings } from './history-types.js';
import { metricHistories } from './metric-history.js';
import { groupSeries, historyRun } from './run-series.js';
import { seriesChangePoints } from './series-change-points.js';
import type { CollectedRuns } from './summary-collection.js';

/**
 * The defaults of `loadgen history`, each with its reason (docs/reports.md, "Run history"):
 * - maxPValue 0.0001, ten times stricter than Otava's 0.001 (the detector's default): a history
 *   tests dozens of figures at once (12 endpoints: 36 latency figures), and a build failed by
 *   chance in one of them is still a failed build. On flat 40-run histories of 36 figures under
 *   3% noise, 0.001 failed 13 of 400 (3.3%) and 0.0001 4 of 400 (1%), while a +20% step still
 *   failed the build two runs after it in 397 of 400 (test/history/history-false-positives.test.ts).
 * - minRelativeChange 5%: the detector's (a change under 5% is rarely worth a bisect).
 * - minAbsoluteChange: latency 1 ms, so that a 0.4 → 0.6 ms endpoint ("+50%") on a shared machine
 *   does not fire, as `compare`'s absolute tolerances do; error ratio 0.01 (1 percentage point,
 *   compare's --error-points), because a ratio at exactly 0 has no spread and any error would be
 *   "certain"; requests/s and custom trends of another unit than ms none (relative only).
 * - failWithin 5 and holdRuns 2: a regression fails the builds from its second run to its fifth
 *   (unless accepted or older): one run above its neighbours is most often noise, and five runs
 *   leave room for the run or two the detector may need to place it.
 * - gate: latency (p50, p95, p99) and the error ratio, the figures `compare` judges; requests/s
 *   follows latency in a closed model, and the server's own figures repeat loadgen's.
 */
export const DEFAULT_HISTORY_SETTINGS: HistorySettings = {
  maxPValue: 0.0001,
  minRelativeChange: DEFAULT_CHANGE_POINT_OPTIONS.minRelativeChange,
  minAbsoluteChange: { ms: 1, ratio: 0.01, per_s: 0, value: 0 },
  failWithin: 5,
  holdRuns: 2,
  gate: ['p50', 'p95', 'p99', 'errorRatio'],
};

export interface HistoryInput {
  collected: CollectedRuns;
  dirs: string[];
  settings: HistorySettings;
  /** Testids of the first runs after accepted changes. */
  accepted: ReadonlySet<string>;
  now: Date;
}

/**
 * The whole history: the runs grouped into series, each endpoint's figures over them, and the
 * change points of every figure, re-found over the whole series every time (about 1.5 ms per
 * 1,000-run figure), so a change point moves as runs arrive rather than being fixed by the run
 * that first saw it.
 */
export function buildHistory(input: HistoryInput): History {
  const { settings } = input;
  const series: HistorySeries[] = groupSeries(input.collected.runs, {
    ...(settings.since === undefined ? {} : { since: new Date(settings.since) }),
    ...(settings.last === undefined ? {} : { last: settings.last }),
  }).map((s) => {
    const runs = s.runs.map(historyRun);
    const { metrics, notes } = metricHistories(s);
    for (const m of metrics) {
      m.changePoints = seriesChangePoints({ id: s.id, model: s.model, runs }, m, settings, input.accepted);
    }
    return { id: s.id, pattern: s.pattern, model: s.model, runs, metrics, notes };
  });
  const changePoints: HistoryChangePoint[] = series
    .flatMap((s) => s.metrics.flatMap((m) => m.changePoints))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.endpoint.localeCompare(b.endpoint));
  return {
    generatedAt: input.now.toISOString(),
    dirs: input.dirs,
    settings,
    series,
    changePoints,
    failing: changePoints.filter((c) => c.failing),
    files: input.collected.files,
    skipped: input.collected.skipped,
  };
}
