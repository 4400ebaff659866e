import { detectChangePoints } from './change-points.js';
import { worseWay } from './history-metrics.js';
import type { HistoryChangePoint, HistoryRun, HistorySettings, MetricHistory } from './history-types.js';

/**
 * The change points of one figure over a series, each placed at the first run after it and
 * judged: a regression (the figure moved the way that is worse), an improvement, or a change of a
 * figure with no known better way. Runs without the figure are left out of the detection (the
 * detector needs a value per point), so a change point's neighbours are the runs that have it.
 *
 * A regression fails `--fail-on regression` when it is on a gated figure, is not accepted, starts
 * within the last `failWithin` runs of the series (older ones have had their chance to fail a
 * build), and has held for at least `holdRuns` runs: a change point with one run after it stands
 * on that one run, which may be its noise; waiting one more run costs one build. False alarms and
 * detection delays are measured in test/history/history-false-positives.test.ts.
 */
export function seriesChangePoints(
  series: { id: string; model: 'closed' | 'open'; runs: readonly HistoryRun[] },
  m: MetricHistory,
  settings: HistorySettings,
  accepted: ReadonlySet<string>,
): HistoryChangePoint[] {
  const at: number[] = [];
  const values: number[] = [];
  m.values.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      at.push(i);
      values.push(v);
    }
  });
  const found = detectChangePoints(values, {
    maxPValue: settings.maxPValue,
    minRelativeChange: settings.minRelativeChange,
    minAbsoluteChange: settings.minAbsoluteChange[m.unit],
  });
  const way = worseWay(m.metric, m.kind, series.model, m.valueUnit);
  return found.map((c) => {
    const runIndex = at[c.index] as number;
    const run = series.runs[runIndex] as HistoryRun;
    const up = c.meanAfter > c.meanBefore;
    const verdict = way === undefined ? 'change' : (way === 'up') === up ? 'regression' : 'improvement';
    const runsSince = values.length - c.index;
    const isAccepted = accepted.has(run.testid);
    return {
      series: series.id,
      endpoint: m.endpoint,
      metric: m.metric,
      ...(m.valueUnit === undefined ? {} : { valueUnit: m.valueUnit }),
      runIndex,
      testid: run.testid,
      startedAt: run.startedAt,
      ...(run.provenance === undefined ? {} : { provenance: run.provenance }),
      meanBefore: c.meanBefore,
      meanAfter: c.meanAfter,
      relativeChange: c.relativeChange,
      pValue: c.pValue,
      verdict,
      runsSince,
      accepted: isAccepted,
      failing:
        verdict === 'regression' &&
        !isAccepted &&
        settings.gate.includes(m.metric) &&
        runIndex >= series.runs.length - settings.failWithin &&
        runsSince >= settings.holdRuns,
    };
  });
}
