import type { Summary, ThresholdResult } from '../model/summary-schema.js';
import type { Threshold } from './threshold-parser.js';

function compare(actual: number, op: Threshold['op'], limit: number): boolean {
  switch (op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
  }
}

/**
 * Evaluate thresholds against a summary (its totals, or one endpoint's stats; a socket message
 * type is one as `ws <type>`). A threshold on an endpoint that saw no request fails, so a typo in
 * the endpoint cannot pass silently, and so does a latency threshold on an endpoint that was
 * counted but never timed (a push type whose every wait failed). Totals are HTTP's; `ccu` is the peak of connected sockets.
 */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  summary: Pick<Summary, 'totals' | 'endpoints'>,
): ThresholdResult[] {
  return thresholds.map((t) => {
    let actual = Number.NaN;
    if (t.endpoint === null) {
      const tot = summary.totals;
      actual =
        t.metric === 'errors'
          ? tot.errorRate
          : t.metric === 'rps'
            ? tot.rps
            : t.metric === 'dropped'
              ? tot.droppedIterations
              : t.metric === 'ccu'
                ? (tot.peakConnected ?? 0)
                : tot.latencyMs[t.metric];
    } else {
      const e = summary.endpoints.find((x) => x.endpoint === t.endpoint);
      if (e !== undefined) {
        actual =
          t.metric === 'errors'
            ? e.count === 0
              ? 0
              : e.errors / e.count
            : t.metric === 'rps'
              ? e.rps
              : t.metric === 'dropped' || t.metric === 'ccu'
                ? Number.NaN
                : // Counted but never timed (every push it waited for failed): nothing passes.
                  e.latencyMs.max === 0
                  ? Number.NaN
                  : e.latencyMs[t.metric];
      }
    }
    const passed = Number.isFinite(actual) && compare(actual, t.op, t.limit);
    return {
      expr: t.expr,
      endpoint: t.endpoint,
      metric: t.metric,
      op: t.op,
      limit: t.limit,
      actual: Number.isFinite(actual) ? actual : -1,
      passed,
    };
  });
}
