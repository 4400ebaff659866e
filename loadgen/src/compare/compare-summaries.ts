import type { CustomMetric } from '../model/custom-metric-schema.js';
import type { EndpointStats, Summary } from '../model/summary-schema.js';
import {
  type CompareRule,
  DEFAULT_COMPARE_RULE,
  type Flag,
  judgeErrorRate,
  judgeLatency,
  judgeSeparation,
} from './compare-rule.js';
import { percentileRange } from './percentile-range.js';
import { attributeToServer, type ServerAttribution } from './server-attribution.js';

type Verdict = Flag | 'too few samples' | 'only in baseline' | 'only in candidate' | 'not judged';

export type MetricName = 'p50' | 'p95' | 'p99' | 'rps' | 'errorRate';

export interface MetricChange {
  metric: MetricName;
  base: number;
  candidate: number;
  delta: number;
  /** delta / base, null when base is 0. */
  relative: number | null;
  /** `unchanged` for the figures the rule does not judge (req/s). */
  flag: Flag;
}

export interface EndpointComparison {
  endpoint: string;
  verdict: Verdict;
  baseCount: number;
  candidateCount: number;
  metrics: MetricChange[];
  server?: ServerAttribution;
  /** A custom trend's unit when not ms: its figures are in it, and they are shown, not judged. */
  unit?: string;
}

/** A custom counter, rate or gauge in both runs (either may lack it): shown, never judged. */
interface CustomMetricComparison {
  name: string;
  type: CustomMetric['type'];
  base?: CustomMetric;
  candidate?: CustomMetric;
}

interface RunRef {
  testid: string;
  label: string;
  fault: Summary['run']['fault'];
}

export interface Comparison {
  baseline: RunRef;
  candidate: RunRef;
  rule: CompareRule;
  endpoints: EndpointComparison[];
  /** The whole run (all HTTP endpoints together), judged by the same rule. */
  total: EndpointComparison;
  /** Peak connected sockets (CCU) of each run, when either used sockets; not judged. */
  peakConnected?: { base: number; candidate: number };
  /** Custom counters, rates and gauges of either run. */
  metrics?: CustomMetricComparison[];
  /**
   * Which runs' generator saturated (their latencies include loadgen's own queueing), when
   * either did: a verdict on such a run may be the client's doing, not the server's.
   */
  generatorSaturated?: { baseline: boolean; candidate: boolean };
  /** Steering changes made to each run while it went, when either was steered (its load was not its profile). */
  steered?: { baseline: number; candidate: number };
  regressed: string[];
  improved: string[];
}

function change(metric: MetricName, base: number, candidate: number, flag: Flag): MetricChange {
  const delta = candidate - base;
  return { metric, base, candidate, delta, relative: base === 0 ? null : delta / base, flag };
}

type Figures = Pick<EndpointStats, 'count' | 'errors' | 'rps' | 'latencyMs' | 'histogram'>;

const errorRate = (f: Figures): number => (f.count === 0 ? 0 : f.errors / f.count);

/** Judge one pair of figures (an endpoint, or the totals). */
function compareFigures(
  endpoint: string,
  base: Figures,
  candidate: Figures,
  rule: CompareRule,
): EndpointComparison {
  const b = base.latencyMs;
  const c = candidate.latencyMs;
  const enough = base.count >= rule.minSamples && candidate.count >= rule.minSamples;
  // Too few requests for confidence intervals, but the runs may not overlap at all (1000 ms
  // added to a 5 ms route): then every latency figure moved, and the verdict is safe.
  const separated =
    !enough && Math.min(base.count, candidate.count) >= rule.minSeparatedSamples
      ? judgeSeparation(b, c, rule.p50)
      : undefined;
  const judge = (flag: Flag): Flag => (enough ? flag : 'unchanged');
  const latency = (q: 50 | 95 | 99): Flag =>
    enough
      ? judgeLatency(
          percentileRange(base.histogram, q, rule.confidenceZ),
          percentileRange(candidate.histogram, q, rule.confidenceZ),
          rule[`p${q}`],
        )
      : (separated ?? 'unchanged');
  const metrics = [
    change('p50', b.p50, c.p50, latency(50)),
    change('p95', b.p95, c.p95, latency(95)),
    change('p99', b.p99, c.p99, latency(99)),
    change('rps', base.rps, candidate.rps, 'unchanged'),
    change(
      'errorRate',
      errorRate(base),
      errorRate(candidate),
      judge(judgeErrorRate(errorRate(base), errorRate(candidate), rule)),
    ),
  ];
  // p99 is marked but does not decide alone (see CompareRule.p99).
  const deciding = metrics.filter((m) => m.metric !== 'p99' && m.metric !== 'rps').map((m) => m.flag);
  const verdict: Verdict = !enough
    ? (separated ?? 'too few samples')
    : deciding.includes('regressed')
      ? 'regressed'
      : deciding.includes('improved')
        ? 'improved'
        : 'unchanged';
  return { endpoint, verdict, baseCount: base.count, candidateCount: candidate.count, metrics };
}

function onlyOne(endpoint: string, stats: EndpointStats, side: 'baseline' | 'candidate'): EndpointComparison {
  return {
    endpoint,
    verdict: side === 'baseline' ? 'only in baseline' : 'only in candidate',
    baseCount: side === 'baseline' ? stats.count : 0,
    candidateCount: side === 'candidate' ? stats.count : 0,
    metrics: [],
  };
}

const ref = (s: Summary): RunRef => ({
  testid: s.run.testid,
  label: s.run.scenario.label,
  fault: s.run.fault,
});

/**
 * Compare a candidate run with a baseline, endpoint by endpoint, in the baseline's order (socket
 * figures such as `ws moved` are endpoints here, judged by the same rule).
 */
export function compareSummaries(
  baseline: Summary,
  candidate: Summary,
  rule: CompareRule = DEFAULT_COMPARE_RULE,
): Comparison {
  const names = [
    ...baseline.endpoints.map((e) => e.endpoint),
    ...candidate.endpoints
      .map((e) => e.endpoint)
      .filter((n) => !baseline.endpoints.some((e) => e.endpoint === n)),
  ];
  const endpoints = names.map((name): EndpointComparison => {
    const b = baseline.endpoints.find((e) => e.endpoint === name);
    const c = candidate.endpoints.find((e) => e.endpoint === name);
    if (b === undefined) return onlyOne(name, c as EndpointStats, 'candidate');
    if (c === undefined) return onlyOne(name, b, 'baseline');
    const result = compareFigures(name, b, c, rule);
    // A trend of players or bytes is no latency: whether more is worse is the script's to say.
    const unit = b.unit ?? c.unit;
    if (unit !== undefined) {
      return {
        ...result,
        unit,
        verdict: 'not judged',
        metrics: result.metrics.map((m) => ({ ...m, flag: 'unchanged' })),
      };
    }
    const server = attributeToServer(baseline, candidate, name, c.latencyMs.mean - b.latencyMs.mean);
    return server === undefined ? result : { ...result, server };
  });
  const totalOf = (s: Summary): Figures => ({
    count: s.totals.requests,
    errors: s.totals.errors,
    rps: s.totals.rps,
    latencyMs: s.totals.latencyMs,
    histogram: s.totals.histogram,
  });
  const sockets =
    baseline.totals.peakConnected === undefined && candidate.totals.peakConnected === undefined
      ? {}
      : {
          peakConnected: {
            base: baseline.totals.peakConnected ?? 0,
            candidate: candidate.totals.peakConnected ?? 0,
          },
        };
  const metricNames = new Map(
    [...(baseline.metrics ?? []), ...(candidate.metrics ?? [])].map((m) => [m.name, m.type] as const),
  );
  const metrics = [...metricNames].map(([name, type]): CustomMetricComparison => {
    const b = baseline.metrics?.find((m) => m.name === name);
    const c = candidate.metrics?.find((m) => m.name === name);
    return {
      name,
      type,
      ...(b === undefined ? {} : { base: b }),
      ...(c === undefined ? {} : { candidate: c }),
    };
  });
  const saturated = {
    baseline: baseline.generator?.saturated === true,
    candidate: candidate.generator?.saturated === true,
  };
  const steered = { baseline: baseline.timeline?.length ?? 0, candidate: candidate.timeline?.length ?? 0 };
  return {
    baseline: ref(baseline),
    candidate: ref(candidate),
    rule,
    endpoints,
    total: compareFigures('all endpoints', totalOf(baseline), totalOf(candidate), rule),
    ...sockets,
    ...(metrics.length === 0 ? {} : { metrics }),
    ...(saturated.baseline || saturated.candidate ? { generatorSaturated: saturated } : {}),
    ...(steered.baseline + steered.candidate > 0 ? { steered } : {}),
    regressed: endpoints.filter((e) => e.verdict === 'regressed').map((e) => e.endpoint),
    improved: endpoints.filter((e) => e.verdict === 'improved').map((e) => e.endpoint),
  };
}
