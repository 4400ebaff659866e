import { neverTimed } from '../model/never-timed.js';
import type { EndpointStats, ServerRoute, Summary } from '../model/summary-schema.js';

/**
 * The figures the run history follows per endpoint, and what a change of each means. Endpoints
 * are read generically: an HTTP endpoint, a socket figure (`kind: 'ws'`) or any other kind a
 * summary carries (custom metrics) gives the same five figures; only the direction that counts
 * as worse depends on the kind.
 */
export type MetricId = 'p50' | 'p95' | 'p99' | 'errorRatio' | 'rps' | 'serverMeanMs' | 'serverErrorRatio';

/** `value`: a custom trend's own unit (`players`, `bytes`...), which its `valueUnit` names. */
export type MetricUnit = 'ms' | 'ratio' | 'per_s' | 'value';

export interface MetricSpec {
  id: MetricId;
  /** Column and table name: `p95 ms`, `error ratio`... */
  label: string;
  unit: MetricUnit;
  /** Whether the figure comes from loadgen's measurements or the target's own (`server`). */
  source: 'loadgen' | 'server';
}

export const METRICS: readonly MetricSpec[] = [
  { id: 'p50', label: 'p50 ms', unit: 'ms', source: 'loadgen' },
  { id: 'p95', label: 'p95 ms', unit: 'ms', source: 'loadgen' },
  { id: 'p99', label: 'p99 ms', unit: 'ms', source: 'loadgen' },
  { id: 'errorRatio', label: 'error ratio', unit: 'ratio', source: 'loadgen' },
  { id: 'rps', label: 'req/s', unit: 'per_s', source: 'loadgen' },
  { id: 'serverMeanMs', label: 'server mean ms', unit: 'ms', source: 'server' },
  { id: 'serverErrorRatio', label: 'server 5xx ratio', unit: 'ratio', source: 'server' },
];

export const metricSpec = (id: MetricId): MetricSpec => METRICS.find((m) => m.id === id) as MetricSpec;

/** Which way of a figure is worse; undefined: neither is known to be (a change is just a change). */
export type WorseWay = 'up' | 'down' | undefined;

const LATENCY: readonly MetricId[] = ['p50', 'p95', 'p99', 'serverMeanMs'];

/**
 * Latency and errors are worse up for requests, socket figures and custom trends in ms (a time the
 * script measured is a latency as a request's is); requests/s is worse down only under an open
 * model, where the arrival rate is fixed and fewer answers mean the target fell behind (in a closed
 * model it follows latency, as `compare` treats it). A custom trend of another unit (`valueUnit`:
 * a room's size is neither better up nor down) and a kind this code does not know have no known
 * direction.
 */
export function worseWay(
  metric: MetricId,
  kind: string,
  model: 'closed' | 'open',
  valueUnit?: string,
): WorseWay {
  const timed = kind === 'http' || kind === 'ws' || (kind === 'custom' && valueUnit === undefined);
  if (!timed) return undefined;
  if (LATENCY.includes(metric) || metric === 'errorRatio' || metric === 'serverErrorRatio') return 'up';
  return model === 'open' ? 'down' : undefined;
}

export function isLatency(metric: MetricId): boolean {
  return LATENCY.includes(metric);
}

/** The endpoint's kind as the history names it: `http` when the summary says none. */
export const endpointKind = (e: Pick<EndpointStats, 'kind'>): string => e.kind ?? 'http';

/**
 * The five loadgen figures of one endpoint in one run; an endpoint with no request has no ratio,
 * one counted but never timed (model/never-timed.ts) no percentiles: its all-0 stats are no data.
 */
export function endpointFigures(e: EndpointStats): Partial<Record<MetricId, number>> {
  return {
    ...(neverTimed(e) ? {} : { p50: e.latencyMs.p50, p95: e.latencyMs.p95, p99: e.latencyMs.p99 }),
    ...(e.count > 0 ? { errorRatio: e.errors / e.count } : {}),
    rps: e.rps,
  };
}

/** The target's own figures for one route: its mean duration and its share of 5xx answers. */
export function serverFigures(r: ServerRoute): Partial<Record<MetricId, number>> {
  if (r.count <= 0) return {};
  const fiveHundreds = Object.entries(r.statusCounts)
    .filter(([status]) => status.startsWith('5'))
    .reduce((sum, [, n]) => sum + n, 0);
  return { serverMeanMs: (r.sum / r.count) * 1000, serverErrorRatio: fiveHundreds / r.count };
}

/** One endpoint's figures in one run, loadgen's and the target's together. */
export interface RunFigures {
  kind: string;
  /** A custom trend's unit when it is not ms: its percentiles are in it. */
  valueUnit?: string;
  figures: Partial<Record<MetricId, number>>;
}

/** A figure's unit for one endpoint: a custom trend's percentiles are in its own unit, if it has one. */
export function figureUnit(metric: MetricId, valueUnit: string | undefined): MetricUnit {
  return valueUnit !== undefined && (metric === 'p50' || metric === 'p95' || metric === 'p99')
    ? 'value'
    : metricSpec(metric).unit;
}

/** A figure's name with its unit: `p95 ms`, `p95 players`, `error ratio`. */
export function figureLabel(m: { metric: MetricId; unit: MetricUnit; valueUnit?: string }): string {
  const { label } = metricSpec(m.metric);
  return m.unit === 'value' ? `${label.replace(/ ms$/, '')} ${m.valueUnit ?? ''}`.trimEnd() : label;
}

/** Every endpoint's figures of a run, by endpoint name (`METHOD /route`, `ws <type>`...). */
export function runFigures(summary: Pick<Summary, 'endpoints' | 'server'>): Map<string, RunFigures> {
  const byEndpoint = new Map<string, RunFigures>();
  for (const e of summary.endpoints) {
    byEndpoint.set(e.endpoint, {
      kind: endpointKind(e),
      ...(e.unit === undefined ? {} : { valueUnit: e.unit }),
      figures: endpointFigures(e),
    });
  }
  for (const r of summary.server?.routes ?? []) {
    const known = byEndpoint.get(r.endpoint);
    const figures = serverFigures(r);
    // The target's view of a route loadgen did not call (another client's traffic) is left out.
    if (known !== undefined) Object.assign(known.figures, figures);
  }
  return byEndpoint;
}
