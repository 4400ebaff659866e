import type { CustomMetric } from '../model/custom-metric-schema.js';
import { neverTimed } from '../model/never-timed.js';
import type { EndpointStats, Summary, ThresholdResult, Totals } from '../model/summary-schema.js';
import { LATENCY_METRICS, type Threshold, type ThresholdMetric } from './threshold-parser.js';

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

/** What a named series is, and the threshold metrics that judge it. */
export const APPLIES: Record<'endpoint' | CustomMetric['type'], ReadonlySet<ThresholdMetric>> = {
  endpoint: new Set([...LATENCY_METRICS, 'errors', 'rps', 'count']),
  counter: new Set(['count', 'rps']),
  rate: new Set(['rate']),
  gauge: new Set(['value', 'min', 'max']),
};
export const APPLIES_TEXT: Record<keyof typeof APPLIES, string> = {
  endpoint: 'p50 … max, errors, rps, count',
  counter: 'count and rps',
  rate: 'rate',
  gauge: 'value, min and max',
};

/** The figure a threshold judges, or why there is none. */
type Measured = { value: number } | { reason: string };
const noData = (why: string): Measured => ({ reason: `no data: ${why}` });

/** The figures a threshold may judge (a summary, or a run's so far). */
export type Judged = Pick<Summary, 'totals' | 'endpoints'> & Partial<Pick<Summary, 'checks' | 'metrics'>>;

function ofTotals(t: Threshold, tot: Totals): Measured {
  if (t.metric === 'dropped') return { value: tot.droppedIterations };
  if (t.metric === 'ccu') {
    return tot.peakConnected === undefined ? noData('no socket was opened') : { value: tot.peakConnected };
  }
  if (tot.requests === 0) {
    return noData('no HTTP request was made (name what to judge: e.g. join room:p95<200)');
  }
  if (t.metric === 'errors') return { value: tot.errorRate };
  if (t.metric === 'rps') return { value: tot.rps };
  if (t.metric === 'count') return { value: tot.requests };
  // Every request failed without a response (refused, reset): its all-0 latency is no data.
  if (neverTimed({ latencyMs: tot.latencyMs, count: tot.requests, errors: tot.errors })) {
    return noData('no HTTP request was timed (every one failed without a response)');
  }
  return { value: tot.latencyMs[t.metric as keyof Totals['latencyMs']] };
}

function ofEndpoint(t: Threshold, e: EndpointStats): Measured {
  const name = JSON.stringify(e.endpoint);
  if (!APPLIES.endpoint.has(t.metric)) {
    const what = e.kind === 'custom' ? 'a trend' : e.kind === 'ws' ? 'a socket figure' : 'an endpoint';
    return { reason: `${name} is ${what}: its thresholds are ${APPLIES_TEXT.endpoint}` };
  }
  if (t.metric === 'errors')
    return e.count === 0 ? noData(`${name} was never counted`) : { value: e.errors / e.count };
  if (t.metric === 'rps') return { value: e.rps };
  if (t.metric === 'count') return { value: e.count };
  if (e.unit !== undefined && t.timed) {
    return { reason: `${name} is in ${e.unit}, not a time: write the limit without ms or s` };
  }
  // Counted but never timed (every push it waited for failed, every measurement threw): nothing passes.
  if (neverTimed(e)) {
    return noData(`${name} was counted but never timed`);
  }
  return { value: e.latencyMs[t.metric as keyof EndpointStats['latencyMs']] };
}

function ofMetric(t: Threshold, m: CustomMetric): Measured {
  if (!APPLIES[m.type].has(t.metric)) {
    return { reason: `"${m.name}" is a ${m.type}: its thresholds are ${APPLIES_TEXT[m.type]}` };
  }
  if (m.type === 'counter') return { value: t.metric === 'count' ? m.count : m.rps };
  if (m.type === 'rate')
    return m.passes + m.fails === 0 ? noData(`"${m.name}" counted nothing`) : { value: m.rate };
  if (t.timed) return { reason: `"${m.name}" is a gauge: its values have no unit` };
  return { value: t.metric === 'value' ? m.value : t.metric === 'min' ? m.min : m.max };
}

function ofChecks(t: Threshold, summary: Judged): Measured {
  let passes = 0;
  let fails = 0;
  for (const c of summary.checks ?? []) {
    if (t.endpoint !== null && c.label !== t.endpoint) continue;
    passes += c.passes;
    fails += c.fails;
  }
  if (passes + fails > 0) return { value: passes / (passes + fails) };
  return noData(
    t.endpoint === null ? 'no check was counted' : `no check labelled "${t.endpoint}" was counted`,
  );
}

function measure(t: Threshold, summary: Judged): Measured {
  const tot = summary.totals;
  if (t.metric === 'script_errors') {
    // Every run of the script's code: iterations started, setups tried, teardowns run.
    const runs = tot.iterations + (tot.setups ?? 0) + (tot.teardowns ?? 0);
    return runs === 0 ? noData('no setup or iteration ran') : { value: (tot.scriptErrors ?? 0) / runs };
  }
  if (t.metric === 'checks') return ofChecks(t, summary);
  if (t.endpoint === null) return ofTotals(t, tot);
  const metric = summary.metrics?.find((m) => m.name === t.endpoint);
  if (metric !== undefined) return ofMetric(t, metric);
  const e = summary.endpoints.find((x) => x.endpoint === t.endpoint);
  if (e !== undefined) return ofEndpoint(t, e);
  return noData(`nothing named "${t.endpoint}" was measured`);
}

/**
 * Evaluate thresholds against a summary: its totals (HTTP's), one endpoint's stats (a socket
 * message type is one as `ws <type>`, a custom trend under its name), a custom counter, rate or
 * gauge, the checks, the script errors. A threshold without data fails and says why (actual
 * null), so a typo in a name cannot pass; so does a metric that does not apply to the name.
 */
export function evaluateThresholds(thresholds: readonly Threshold[], summary: Judged): ThresholdResult[] {
  return thresholds.map((t) => {
    const m = measure(t, summary);
    const actual = 'value' in m && Number.isFinite(m.value) ? m.value : null;
    return {
      expr: t.expr,
      endpoint: t.endpoint,
      metric: t.metric,
      op: t.op,
      limit: t.limit,
      actual,
      passed: actual !== null && compare(actual, t.op, t.limit),
      ...('reason' in m ? { reason: m.reason } : {}),
    };
  });
}
