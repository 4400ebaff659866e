import { createHistogram, encodeHistogram, latencyStats } from '../metrics/hdr-histograms.js';
import type { RunAggregator } from '../metrics/run-aggregator.js';
import { deriveCallPattern } from '../model/call-pattern.js';
import { metricFrom } from '../model/custom-metric-math.js';
import { assessGenerator, type GeneratorAssessment } from '../model/generator-saturation.js';
import { perSecond } from '../model/per-second.js';
import {
  type EndpointStats,
  type RunInfo,
  type ServerView,
  type SocketStats,
  SUMMARY_SCHEMA_VERSION,
  type Summary,
  type Totals,
} from '../model/summary-schema.js';
import type { SteeringChange } from '../model/timeline-schema.js';
import type { RunConfig } from '../scenario/run-config.js';
import { evaluateThresholds, type Judged } from '../thresholds/threshold-evaluator.js';
import { parseThreshold } from '../thresholds/threshold-parser.js';
import { LOADGEN_VERSION } from '../version.js';

interface RunTiming {
  startedAt: Date;
  endedAt: Date;
  elapsedSec: number;
  interrupted: boolean;
  /** How late the users started after startedAt (ms). */
  startLateMs?: number;
}

function runInfoOf(
  config: RunConfig,
  timing: RunTiming,
  fault: RunInfo['fault'],
  endpoints: readonly EndpointStats[],
): RunInfo {
  const tls = config.http.tls;
  return {
    testid: config.testid,
    scenario: { name: config.name, label: config.label },
    callPattern: config.pattern ?? deriveCallPattern(endpoints),
    target: config.target,
    model: config.model,
    profile: config.profile,
    durationSec: config.durationSec,
    elapsedSec: Math.round(timing.elapsedSec * 1000) / 1000,
    threads: config.threads,
    httpClient: config.httpClient,
    segment: config.segment,
    parts: 1,
    thresholds: config.thresholds,
    startedAt: timing.startedAt.toISOString(),
    endedAt: timing.endedAt.toISOString(),
    interrupted: timing.interrupted,
    windowSec: config.windowSec,
    loadgenVersion: LOADGEN_VERSION,
    fault,
    ...(config.server.resources === undefined ? {} : { resources: config.server.resources }),
    ...(config.server.costs === undefined ? {} : { costs: config.server.costs }),
    ...(config.startAtEpochMs === undefined
      ? {}
      : { startAt: new Date(config.startAtEpochMs).toISOString() }),
    ...(tls === undefined
      ? {}
      : {
          tls: {
            insecure: tls.insecure === true,
            ...(tls.caFile === undefined ? {} : { caFile: tls.caFile }),
          },
        }),
  };
}

/**
 * Per-endpoint stats and totals from the aggregator's cumulative HdrHistograms. `encode` false
 * leaves the encoded histograms empty: a view of the run so far (the dashboard, thresholds marked
 * `abort`) shows figures only.
 */
export function statsOf(
  agg: RunAggregator,
  elapsedSec: number,
  encode = true,
): { endpoints: EndpointStats[]; totals: Totals } {
  const encoded = (h: Parameters<typeof encodeHistogram>[0]) => (encode ? encodeHistogram(h) : '');
  const all = createHistogram();
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  const endpoints: EndpointStats[] = [];
  for (const [name, t] of [...agg.endpoints].sort((a, b) => a[0].localeCompare(b[0]))) {
    // Totals are HTTP's: a socket's push delay is not a request's latency.
    if (t.kind === 'http') {
      all.add(t.histogram);
      requests += t.count;
      errors += t.errors;
      bytes += t.bytes;
    }
    endpoints.push({
      endpoint: name,
      count: t.count,
      errors: t.errors,
      bytes: t.bytes,
      statusCounts: Object.fromEntries(t.statusCounts),
      latencyMs: latencyStats(t.histogram),
      rps: perSecond(t.count, elapsedSec),
      histogram: encoded(t.histogram),
      ...(agg.setupEndpoints.has(name) ? { setup: true } : {}),
      ...(t.kind === 'http' ? {} : { kind: t.kind }),
      ...(t.unit === 'ms' ? {} : { unit: t.unit }),
      ...(t.decodedBytes === undefined ? {} : { decodedBytes: t.decodedBytes }),
    });
  }
  const totals: Totals = {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    bytes,
    rps: perSecond(requests, elapsedSec),
    iterations: agg.iterations,
    droppedIterations: agg.dropped,
    peakUsers: agg.peakUsers,
    latencyMs: latencyStats(all),
    histogram: encoded(all),
    ...(agg.scriptErrors > 0 ? { scriptErrors: agg.scriptErrors } : {}),
    setups: agg.setups,
    teardowns: agg.teardowns,
    ...(agg.peakConnected === undefined ? {} : { peakConnected: agg.peakConnected }),
  };
  all.destroy();
  return { endpoints, totals };
}

/** How buildSummary builds: the run's end (the defaults) or a view of the run so far. */
export interface SummaryOptions {
  /** false leaves the encoded histograms empty (a view of the run so far). Default true. */
  encode?: boolean;
  /** The threshold that stopped the run (abort). */
  aborted?: RunInfo['aborted'];
  /**
   * The generator summary folded window by window as they closed: a view built at every window
   * then costs that window, not every window again. Else it is assessed from all of agg.windows.
   */
  generator?: GeneratorAssessment;
}

export function buildSummary(
  config: RunConfig,
  agg: RunAggregator,
  timing: RunTiming,
  server: ServerView | undefined,
  fault: RunInfo['fault'],
  timeline: readonly SteeringChange[] = [],
  { encode = true, aborted, generator: assessed }: SummaryOptions = {},
): Summary {
  const { endpoints, totals } = statsOf(agg, timing.elapsedSec, encode);
  const summary: Summary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    run: runInfoOf(config, timing, fault, endpoints),
    totals,
    endpoints,
    timeSeries: agg.windows,
    failures: agg.failureTable(),
    thresholds: [],
  };
  if (server !== undefined) summary.server = server;
  const checks = checksOf(agg);
  if (checks !== undefined) summary.checks = checks;
  const ws = socketStatsOf(agg);
  if (ws !== undefined) summary.ws = ws;
  const generator = assessed === undefined ? assessGenerator(agg.windows) : assessed.summary();
  if (generator !== undefined) summary.generator = generator;
  if (timeline.length > 0) summary.timeline = [...timeline];
  const metrics = metricsOf(agg, timing.elapsedSec);
  if (metrics !== undefined) summary.metrics = metrics;
  summary.thresholds = evaluateThresholds(config.thresholds.map(parseThreshold), summary).map((t) =>
    t.expr === aborted?.threshold ? { ...t, aborted: true } : t,
  );
  if (aborted !== undefined) summary.run.aborted = aborted;
  return summary;
}

/** `vu.check` passes and fails by label, sorted; undefined when the script counted none. */
function checksOf(agg: RunAggregator): Summary['checks'] {
  if (agg.checks.size === 0) return undefined;
  return [...agg.checks]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([label, [passes, fails]]) => ({ label, passes, fails }));
}

/** What thresholds judge, of the run so far (no histogram encoded): for `abort` while it runs. */
export function judgedSoFar(agg: RunAggregator, elapsedSec: number): Judged {
  const { endpoints, totals } = statsOf(agg, elapsedSec, false);
  const checks = checksOf(agg);
  const metrics = metricsOf(agg, elapsedSec);
  return {
    endpoints,
    totals,
    ...(checks === undefined ? {} : { checks }),
    ...(metrics === undefined ? {} : { metrics }),
  };
}

/** Custom counters, rates and gauges, sorted by name; undefined when the script used none. */
export function metricsOf(agg: RunAggregator, elapsedSec: number): Summary['metrics'] {
  if (agg.metrics.byName.size === 0) return undefined;
  return [...agg.metrics.byName]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, total]) => metricFrom(name, total, elapsedSec));
}

function socketStatsOf(agg: RunAggregator): SocketStats | undefined {
  if (agg.peakConnected === undefined) return undefined;
  const stats: SocketStats = {
    connects: agg.sockets.connects,
    messages: [...agg.sockets.messages.values()]
      .sort((a, b) => a.type.localeCompare(b.type) || (a.protocol === undefined ? -1 : 1))
      .map((m) => ({
        type: m.type,
        ...(m.protocol === undefined ? {} : { protocol: m.protocol }),
        sent: m.sent,
        received: m.received,
        dropped: m.dropped,
        sentBytes: m.sentBytes,
        receivedBytes: m.receivedBytes,
      })),
    closeCodes: Object.fromEntries([...agg.sockets.closeCodes].sort((a, b) => Number(a[0]) - Number(b[0]))),
    wireBytes: { sent: agg.sockets.wireSent, received: agg.sockets.wireReceived },
  };
  if (agg.sockets.reconnects > 0) stats.reconnects = agg.sockets.reconnects;
  return stats;
}
