import type { MetricDeclarations } from '../api/metrics-options.js';
import { LoadgenError } from '../errors.js';
import { parseSeries } from '../metrics/metric-tags.js';
import { APPLIES, APPLIES_TEXT } from '../thresholds/threshold-evaluator.js';
import { parseThreshold } from '../thresholds/threshold-parser.js';

/**
 * What can be known of custom metrics before any request: a declared metric's name is no JSON
 * step's endpoint, and every threshold naming a declared metric judges something it has (a
 * counter has no p95; a trend in players takes no ms). What is only known at run time (names a
 * script makes up as it goes) is checked at its first use instead (metrics/metric-names.ts).
 */
export function checkDeclaredMetrics(
  source: string,
  declared: MetricDeclarations,
  thresholds: readonly string[],
  endpointNames: readonly string[] = [],
): void {
  const fail = (message: string): never => {
    throw new LoadgenError('LG_SCENARIO_INVALID', `scenario ${source}: ${message}`);
  };
  for (const name of endpointNames) {
    const d = declared[name];
    if (d !== undefined)
      fail(
        `options.metrics declares "${name}" (a ${d.type}), and a step is the endpoint "${name}": give each its own name`,
      );
  }
  for (const expr of thresholds) {
    const t = parseThreshold(expr);
    // A tag set's series (`join room{region=eu}`) is judged as its metric is.
    const d = t.endpoint === null ? undefined : declared[parseSeries(t.endpoint)?.metric ?? t.endpoint];
    if (d === undefined) continue;
    const scope = d.type === 'trend' ? 'endpoint' : d.type;
    if (!APPLIES[scope].has(t.metric)) {
      fail(
        `threshold "${t.expr}": "${t.endpoint}" is a ${d.type} (options.metrics), whose thresholds are ${APPLIES_TEXT[scope]}`,
      );
    }
    const unit = d.type === 'trend' ? (d.unit ?? 'ms') : undefined;
    // Only a latency metric takes ms or s (the parser refuses them elsewhere).
    if (t.timed && unit !== 'ms') {
      fail(
        `threshold "${t.expr}": "${t.endpoint}" is ${unit === undefined ? 'a gauge, without a unit' : `in ${unit}`}; write the limit without ms or s`,
      );
    }
  }
}
