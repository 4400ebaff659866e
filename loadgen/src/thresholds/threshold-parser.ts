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
  | 'dropped'
  | 'ccu';
export type ThresholdOp = '<' | '<=' | '>' | '>=';

export interface Threshold {
  expr: string;
  /** null = every endpoint together. */
  endpoint: string | null;
  metric: ThresholdMetric;
  op: ThresholdOp;
  /** Milliseconds for latencies, a 0..1 ratio for errors, per second for rps, a count for dropped and ccu. */
  limit: number;
}

const LATENCY = new Set(['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max']);
const RE =
  /^(?:(.+):)?\s*(p50|p90|p95|p99|p999|p99\.9|mean|min|max|errors|rps|dropped|ccu)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s|%)?$/;

/**
 * `[ENDPOINT:]METRIC OP VALUE[unit]`: `p95<500`, `p99<1s`, `errors<1%`, `rps>=100`,
 * `dropped<1`, `GET /api/users:p95<200`, `ws moved:p95<100` (a socket message type), `ccu>=1000`
 * (the peak of connected sockets). Latencies default to ms; errors to a ratio unless `%`.
 */
export function parseThreshold(expr: string): Threshold {
  const m = RE.exec(expr.trim());
  if (m === null) {
    throw new LoadgenError(
      'LG_USAGE',
      `threshold "${expr}" is not [ENDPOINT:]METRIC<VALUE (metrics: p50 p90 p95 p99 p999 mean min max errors rps dropped ccu; e.g. p95<500, errors<1%, GET /api/users:p95<200, ws moved:p95<100)`,
    );
  }
  const [, endpoint, rawMetric, op, rawValue, unit] = m as unknown as [
    string,
    string | undefined,
    string,
    ThresholdOp,
    string,
    string | undefined,
  ];
  const metric = (rawMetric === 'p99.9' ? 'p999' : rawMetric) as ThresholdMetric;
  let limit = Number(rawValue);
  if (LATENCY.has(metric)) {
    if (unit === '%')
      throw new LoadgenError('LG_USAGE', `threshold "${expr}": ${metric} takes ms or s, not %`);
    if (unit === 's') limit *= 1000;
  } else if (metric === 'errors') {
    if (unit === 'ms' || unit === 's')
      throw new LoadgenError('LG_USAGE', `threshold "${expr}": errors takes a ratio or %`);
    if (unit === '%') limit /= 100;
  } else if (unit !== undefined) {
    throw new LoadgenError('LG_USAGE', `threshold "${expr}": ${metric} takes no unit`);
  }
  return { expr: expr.trim(), endpoint: endpoint?.trim() ?? null, metric, op, limit };
}
