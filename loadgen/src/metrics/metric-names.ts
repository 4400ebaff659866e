import { type MetricDeclarations, type MetricType, metricNameProblem } from '../api/metrics-options.js';

/** What a name of a part stands for; a name may be several of the first three at once. */
export type NameUse = 'http' | 'ws' | 'check' | MetricType;

const BIT: Record<NameUse, number> = { http: 1, ws: 2, check: 4, trend: 8, counter: 16, rate: 32, gauge: 64 };
const CUSTOM = BIT.trend | BIT.counter | BIT.rate | BIT.gauge;
const WHAT: Record<NameUse, string> = {
  http: 'an HTTP endpoint',
  ws: 'a socket figure',
  check: 'a check label',
  trend: 'a trend (vu.time, vu.record)',
  counter: 'a counter (vu.metrics.count)',
  rate: 'a rate (vu.metrics.rate)',
  gauge: 'a gauge (vu.metrics.gauge)',
};

/** Each custom name is a series in every table and in Prometheus: a script must not mint them from ids. */
export const MAX_CUSTOM_NAMES = 1000;

/**
 * Custom metrics share the namespace of endpoints and check labels in tables and thresholds
 * (`join room:p95<200`), so a name is one custom metric or none of them. Names are claimed when a
 * part first records them (not per call: a name's window or cell, once made, is found by the
 * script's own string), and a clash is an error at that first use. Endpoints and check labels
 * may share a name as before.
 */
export class MetricNames {
  private readonly uses = new Map<string, number>();
  private custom = 0;
  /** A tag set's series (`join room{region=eu}`) -> its metric: named by loadgen, not the script. */
  private readonly derived = new Map<string, string>();

  constructor(readonly declared: MetricDeclarations = {}) {
    for (const [name, d] of Object.entries(declared)) this.uses.set(name, BIT[d.type]);
  }

  /** The unit of the trend `name`, or of the trend a tag set's series belongs to (declared, or ms). */
  unitOf(name: string): string {
    const d = this.declared[this.derived.get(name) ?? name];
    return d?.type === 'trend' ? (d.unit ?? 'ms') : 'ms';
  }

  /** `series` is the series of a tag set of `metric` (metric-tags.ts made its name). */
  derive(series: string, metric: string): void {
    this.derived.set(series, metric);
  }

  /** Note that `name` is used as `use`; throws when that clashes with what it already is. */
  claim(name: string, use: NameUse): void {
    const bit = BIT[use];
    const known = this.uses.get(name) ?? 0;
    if ((known & bit) !== 0) return;
    const custom = (bit & CUSTOM) !== 0;
    if (custom && !this.derived.has(name)) {
      const problem = metricNameProblem(name);
      if (problem !== undefined) throw new Error(`metric ${JSON.stringify(name)}: ${problem}`);
    }
    if (known !== 0 && (custom || (known & CUSTOM) !== 0)) {
      const was = (Object.keys(BIT) as NameUse[]).find((u) => (known & BIT[u]) !== 0) as NameUse;
      const declared = this.declared[name] === undefined ? '' : ' (declared in options.metrics)';
      throw new Error(
        `"${name}" is ${WHAT[was]}${declared}, so it cannot also be ${WHAT[use]}: give each its own name`,
      );
    }
    // A tag set's series is not the script's name: its sets are capped per metric (MAX_TAG_SETS).
    if (custom && !this.derived.has(name) && ++this.custom > MAX_CUSTOM_NAMES) {
      throw new Error(
        `"${name}": more than ${MAX_CUSTOM_NAMES} custom metric names; each name is a series in every table and in Prometheus, so keep ids out of names`,
      );
    }
    this.uses.set(name, known | bit);
  }
}
