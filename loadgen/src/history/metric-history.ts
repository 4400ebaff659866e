import { figureUnit, METRICS, type MetricId, runFigures } from './history-metrics.js';
import type { MetricHistory } from './history-types.js';
import type { RunSeries } from './run-series.js';

/** Up to three names, then how many more. */
function few(names: readonly string[]): string {
  return names.length <= 3
    ? names.join(', ')
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Every endpoint's figures over the series' runs, one MetricHistory per endpoint and figure the
 * runs have (endpoints in name order, figures in METRICS order); a run without the endpoint (a
 * branch its users never took, an endpoint added later) has null there, and a note names it:
 * the change points of that endpoint are found over the runs that have it.
 */
export function metricHistories(series: RunSeries): { metrics: MetricHistory[]; notes: string[] } {
  const perRun = series.runs.map((r) => runFigures(r.summary));
  const endpoints = [...new Set(perRun.flatMap((figures) => [...figures.keys()]))].sort();
  const metrics: MetricHistory[] = [];
  const notes: string[] = [];
  for (const endpoint of endpoints) {
    const first = perRun.find((f) => f.has(endpoint))?.get(endpoint);
    const kind = first?.kind ?? 'http';
    const valueUnit = first?.valueUnit;
    const missing = series.runs.filter((_, i) => !perRun[i]?.has(endpoint)).map((r) => r.summary.run.testid);
    if (missing.length > 0) {
      notes.push(
        `${endpoint}: in ${series.runs.length - missing.length} of ${series.runs.length} runs; left out of its figures: ${few(missing)}`,
      );
    }
    for (const spec of METRICS) {
      const values = perRun.map((f) => f.get(endpoint)?.figures[spec.id as MetricId] ?? null);
      // A figure no run has (percentiles of what was never timed, the server's of a socket) is no series.
      if (values.every((v) => v === null)) continue;
      const unit = figureUnit(spec.id, valueUnit);
      metrics.push({
        endpoint,
        kind,
        metric: spec.id,
        unit,
        ...(unit === 'value' ? { valueUnit } : {}),
        values,
        changePoints: [],
      });
    }
  }
  return { metrics, notes };
}
