import { neverTimed } from '../model/never-timed.js';
import { fmt } from '../model/number-format.js';
import type { EndpointStats, Summary, ThresholdResult } from '../model/summary-schema.js';
import { LATENCY_METRICS, RATIO_METRICS, type ThresholdMetric } from '../thresholds/threshold-parser.js';

/**
 * What the script measured itself, as end-of-run tables: custom trends (vu.time, vu.record) with
 * their unit, then custom counters, rates and gauges; and how a threshold's figure reads.
 */

const pct = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

/**
 * A figure of a trend of another unit than ms, to the 3 significant digits its histogram keeps
 * (a 5 read back from the histogram is 5.003, the top of its bucket).
 */
export const unitFigure = (v: number): string => fmt(Number(v.toPrecision(3)), 3);

/** A trend's figure in its unit: ms to 0.1 as the endpoint table has them. */
const trendFigure = (e: Pick<EndpointStats, 'unit'>, v: number): string =>
  e.unit === undefined ? v.toFixed(1) : unitFigure(v);

/** The custom trends: samples, failures, percentiles and max in their unit. */
export function measurementRows(summary: Summary): string[][] {
  return summary.endpoints
    .filter((e) => e.kind === 'custom')
    .map((e) => {
      const l = e.latencyMs;
      // Every measurement failed without a value: its figures are absent, not 0.
      const untimed = neverTimed(e);
      return [
        e.setup === true ? `${e.endpoint} (setup)` : e.endpoint,
        String(e.count),
        String(e.errors),
        ...[l.p50, l.p95, l.p99, l.max].map((v) => (untimed ? '-' : trendFigure(e, v))),
        e.unit ?? 'ms',
      ];
    });
}

export const MEASUREMENT_HEADER = ['measured', 'count', 'errors', 'p50', 'p95', 'p99', 'max', 'unit'];

/** The custom counters, rates and gauges: one row each, with its figures in words. */
export function metricRows(summary: Summary): string[][] {
  return (summary.metrics ?? []).map((m) => {
    if (m.type === 'counter') return [m.name, m.type, fmt(m.count, 3), `${fmt(m.rps, 2)}/s`];
    if (m.type === 'rate') return [m.name, m.type, pct(m.rate), `${m.passes} of ${m.passes + m.fails}`];
    return [m.name, m.type, fmt(m.value, 3), `min ${fmt(m.min, 3)}, max ${fmt(m.max, 3)}`];
  });
}

export const METRIC_HEADER = ['metric', 'type', 'value', ''];

/** A threshold's actual figure as it reads: a ratio in %, a figure in its unit, or "no data". */
export function thresholdActual(r: ThresholdResult, summary: Pick<Summary, 'endpoints'>): string {
  if (r.actual === null) return 'no data';
  if (RATIO_METRICS.has(r.metric as ThresholdMetric)) return pct(r.actual);
  // A trend's unit is its values' (p95, max...), not its count's or rate's.
  const unit = LATENCY_METRICS.has(r.metric as ThresholdMetric)
    ? summary.endpoints.find((e) => e.endpoint === r.endpoint)?.unit
    : undefined;
  return unit === undefined ? String(Math.round(r.actual * 1000) / 1000) : `${unitFigure(r.actual)} ${unit}`;
}

/** Iterations, setups and teardowns that ended in a script error, when any did. */
export function scriptErrorLine(summary: Summary): string | undefined {
  const t = summary.totals;
  const errors = t.scriptErrors ?? 0;
  if (errors === 0) return undefined;
  const runs = t.iterations + (t.setups ?? 0) + (t.teardowns ?? 0);
  return `script errors: ${errors} of ${runs} setups, iterations and teardowns (${pct(runs === 0 ? 0 : errors / runs)}); see failures`;
}
