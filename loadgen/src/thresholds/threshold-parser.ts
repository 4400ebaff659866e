import { parseDurationSec } from '../api/duration.js';
import { LoadgenError } from '../errors.js';

export type ThresholdMetric =
  | 'p50'
  | 'p90'
  | 'p95'
  | 'p99'
  | 'p999'
  | 'mean'
  | 'min'
  | 'max'
  | 'errors'
  | 'rps'
  | 'count'
  | 'dropped'
  | 'ccu'
  | 'checks'
  | 'script_errors'
  | 'rate'
  | 'value';
export type ThresholdOp = '<' | '<=' | '>' | '>=';

export interface Threshold {
  /** As written, trimmed (with its `abort` part). */
  expr: string;
  /** The name it judges (an endpoint, a custom metric, a check label); null = the run's totals. */
  endpoint: string | null;
  metric: ThresholdMetric;
  op: ThresholdOp;
  /**
   * Milliseconds for latencies (or the unit of a custom trend), a 0..1 ratio for errors, checks,
   * script_errors and rate, per second for rps, a count for count, dropped and ccu.
   */
  limit: number;
  /** The limit was written as a time (`ms`, `s`): refused on a trend of another unit. */
  timed: boolean;
  /**
   * `abort [after <duration>]`: stop the run as soon as this threshold fails while it runs, from
   * `delaySec` after the start on (k6's abortOnFail and delayAbortEval).
   */
  abort?: { delaySec: number };
}

export const LATENCY_METRICS: ReadonlySet<ThresholdMetric> = new Set([
  'p50',
  'p90',
  'p95',
  'p99',
  'p999',
  'mean',
  'min',
  'max',
]);
/** Ratios: written as 0..1 or with %. */
export const RATIO_METRICS: ReadonlySet<ThresholdMetric> = new Set([
  'errors',
  'checks',
  'script_errors',
  'rate',
]);
/** Of the whole run only: no name before them. */
const TOTALS_ONLY: ReadonlySet<ThresholdMetric> = new Set(['dropped', 'ccu', 'script_errors']);
/** Of a named custom metric only. */
const NAMED_ONLY: ReadonlySet<ThresholdMetric> = new Set(['rate', 'value']);

const METRICS =
  'p50|p90|p95|p99|p999|p99\\.9|mean|min|max|errors|rps|count|dropped|ccu|checks|script_errors|rate|value';
const RE = new RegExp(
  `^(?:(.+):)?\\s*(${METRICS})\\s*(<=|>=|<|>)\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|%)?(?:\\s+(abort)(?:\\s+after\\s+(\\S+))?)?$`,
);

const usage = (expr: string, why: string): LoadgenError =>
  new LoadgenError('LG_USAGE', `threshold "${expr}": ${why}`);

/**
 * `[NAME:]METRIC OP VALUE[unit] [abort [after DURATION]]`: `p95<500`, `p99<1s`, `errors<1%`,
 * `rps>=100`, `dropped<1`, `GET /api/users:p95<200`, `ws moved:p95<100` (a socket message type),
 * `ccu>=1000` (the peak of connected sockets), `join room:p95<200` (a custom trend),
 * `moves sent:count>1000`, `match found:rate>95%`, `room size:max<50` (a gauge), `checks>99%`,
 * `session started:checks>99%`, `script_errors<1%`, `script_errors<1% abort after 10s`.
 * Latencies default to ms; ratios (errors, checks, script_errors, rate) to 0..1 unless `%`.
 */
export function parseThreshold(expr: string): Threshold {
  const m = RE.exec(expr.trim());
  if (m === null) {
    throw new LoadgenError(
      'LG_USAGE',
      `threshold "${expr}" is not [NAME:]METRIC<VALUE [abort [after DURATION]] (metrics: p50 p90 p95 p99 p999 mean min max errors rps count dropped ccu checks script_errors rate value; e.g. p95<500, errors<1%, GET /api/users:p95<200, join room:p95<200, match found:rate>95%, script_errors<1% abort)`,
    );
  }
  const [, name, rawMetric, op, rawValue, unit, abort, after] = m as unknown as [
    string,
    string | undefined,
    string,
    ThresholdOp,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  const metric = (rawMetric === 'p99.9' ? 'p999' : rawMetric) as ThresholdMetric;
  const endpoint = name?.trim() ?? null;
  if (endpoint !== null && TOTALS_ONLY.has(metric))
    throw usage(expr, `${metric} is the whole run's: drop the name`);
  if (endpoint === null && NAMED_ONLY.has(metric)) {
    throw usage(
      expr,
      `${metric} needs the name of a custom ${metric === 'rate' ? 'rate' : 'gauge'} (NAME:${metric}...)`,
    );
  }
  let limit = Number(rawValue);
  const timed = unit === 'ms' || unit === 's';
  if (LATENCY_METRICS.has(metric)) {
    if (unit === '%') throw usage(expr, `${metric} takes ms or s, not %`);
    if (unit === 's') limit *= 1000;
  } else if (RATIO_METRICS.has(metric)) {
    if (timed) throw usage(expr, `${metric} takes a ratio or %`);
    if (unit === '%') limit /= 100;
  } else if (unit !== undefined) {
    throw usage(expr, `${metric} takes no unit`);
  }
  const threshold: Threshold = { expr: expr.trim(), endpoint, metric, op, limit, timed };
  if (abort !== undefined) {
    const delaySec = after === undefined ? 0 : parseDurationSec(after);
    if (delaySec === undefined) throw usage(expr, `"after ${after}" is not a duration (try 10s, 1m)`);
    threshold.abort = { delaySec };
  }
  return threshold;
}
