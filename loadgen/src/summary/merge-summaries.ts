import { LoadgenError } from '../errors.js';
import {
  encodeHistogram,
  type Histogram,
  latencyStats,
  mergeEncoded,
  percentileMs,
} from '../metrics/hdr-histograms.js';
import { evaluateThresholds } from '../thresholds/threshold-evaluator.js';
import { parseThreshold } from '../thresholds/threshold-parser.js';
import type { EndpointStats, Failure, Summary, TimeWindow, WindowEndpoint } from './summary-schema.js';

const rate = (n: number, sec: number): number => (sec > 0 ? Math.round((n / sec) * 1000) / 1000 : 0);
const sumRecords = (rs: Array<Record<string, number>>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of rs) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
};
function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list === undefined) m.set(k, [it]);
    else list.push(it);
  }
  return m;
}

function mergeWindows(windows: TimeWindow[]): TimeWindow {
  const endpoints: Record<string, WindowEndpoint> = {};
  const byEndpoint = groupBy(
    windows.flatMap((w) => Object.entries(w.endpoints)),
    ([name]) => name,
  );
  for (const [name, list] of byEndpoint) {
    const h: Histogram = mergeEncoded(list.map(([, e]) => e.histogram));
    endpoints[name] = {
      count: list.reduce((s, [, e]) => s + e.count, 0),
      errors: list.reduce((s, [, e]) => s + e.errors, 0),
      p50: percentileMs(h, 50),
      p95: percentileMs(h, 95),
      p99: percentileMs(h, 99),
      histogram: encodeHistogram(h),
    };
    h.destroy();
  }
  return {
    t: (windows[0] as TimeWindow).t,
    activeUsers: windows.reduce((s, w) => s + w.activeUsers, 0),
    requests: windows.reduce((s, w) => s + w.requests, 0),
    errors: windows.reduce((s, w) => s + w.errors, 0),
    droppedIterations: windows.reduce((s, w) => s + w.droppedIterations, 0),
    endpoints,
  };
}

/**
 * Combine summaries of segments (or threads, or machines) of one run into one. Histograms are
 * added, so the merged percentiles are exactly those of one histogram fed every request.
 */
export function mergeSummaries(summaries: Summary[]): Summary {
  const first = summaries[0];
  if (first === undefined) throw new LoadgenError('LG_USAGE', 'merge needs at least one summary');
  const elapsedSec = Math.max(...summaries.map((s) => s.run.elapsedSec));
  const n = first.run.segment.count;
  const indexes = new Set(summaries.map((s) => (s.run.segment.count === n ? s.run.segment.index : -1)));
  const complete = n > 1 && indexes.size === n && !indexes.has(-1);

  const endpoints: EndpointStats[] = [];
  for (const [name, list] of [
    ...groupBy(
      summaries.flatMap((s) => s.endpoints),
      (e) => e.endpoint,
    ),
  ].sort((a, b) => a[0].localeCompare(b[0]))) {
    const h = mergeEncoded(list.map((e) => e.histogram));
    const count = list.reduce((s, e) => s + e.count, 0);
    endpoints.push({
      endpoint: name,
      count,
      errors: list.reduce((s, e) => s + e.errors, 0),
      bytes: list.reduce((s, e) => s + e.bytes, 0),
      statusCounts: sumRecords(list.map((e) => e.statusCounts)),
      latencyMs: latencyStats(h),
      rps: rate(count, elapsedSec),
      histogram: encodeHistogram(h),
      ...(list.some((e) => e.setup === true) ? { setup: true } : {}),
    });
    h.destroy();
  }

  const timeSeries = [
    ...groupBy(
      summaries.flatMap((s) => s.timeSeries),
      (w) => String(w.t),
    ),
  ]
    .map(([, ws]) => mergeWindows(ws))
    .sort((a, b) => a.t - b.t);

  const failures: Failure[] = [
    ...groupBy(
      summaries.flatMap((s) => s.failures),
      (f) => `${f.endpoint}\u0000${f.kind}`,
    ),
  ]
    .map(([, fs]) => ({ ...(fs[0] as Failure), count: fs.reduce((s, f) => s + f.count, 0) }))
    .sort((a, b) => b.count - a.count);

  const scriptErrors = summaries.reduce((s, x) => s + (x.totals.scriptErrors ?? 0), 0);
  const total = mergeEncoded(summaries.map((s) => s.totals.histogram));
  const requests = summaries.reduce((s, x) => s + x.totals.requests, 0);
  const errors = summaries.reduce((s, x) => s + x.totals.errors, 0);
  const merged: Summary = {
    schemaVersion: first.schemaVersion,
    run: {
      ...first.run,
      segment: complete ? { index: 0, count: 1 } : first.run.segment,
      parts: summaries.reduce((s, x) => s + x.run.parts, 0),
      elapsedSec,
      startedAt: summaries.map((s) => s.run.startedAt).sort()[0] as string,
      endedAt: summaries
        .map((s) => s.run.endedAt)
        .sort()
        .at(-1) as string,
      interrupted: summaries.some((s) => s.run.interrupted),
    },
    totals: {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      bytes: summaries.reduce((s, x) => s + x.totals.bytes, 0),
      rps: rate(requests, elapsedSec),
      iterations: summaries.reduce((s, x) => s + x.totals.iterations, 0),
      droppedIterations: summaries.reduce((s, x) => s + x.totals.droppedIterations, 0),
      peakUsers: Math.max(0, ...timeSeries.map((w) => w.activeUsers)),
      latencyMs: latencyStats(total),
      histogram: encodeHistogram(total),
      ...(scriptErrors > 0 ? { scriptErrors } : {}),
    },
    endpoints,
    timeSeries,
    failures,
    thresholds: [],
  };
  total.destroy();
  const checks = groupBy(
    summaries.flatMap((s) => s.checks ?? []),
    (c) => c.label,
  );
  if (checks.size > 0) {
    merged.checks = [...checks]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([label, cs]) => ({
        label,
        passes: cs.reduce((s, c) => s + c.passes, 0),
        fails: cs.reduce((s, c) => s + c.fails, 0),
      }));
  }
  merged.thresholds = evaluateThresholds(merged.run.thresholds.map(parseThreshold), merged);
  // Every segment scraped the same server around its own run, so the deltas overlap rather than
  // add up: keep the widest one (the segment whose window covered the most server requests).
  const servers = summaries.flatMap((s) => (s.server ? [s.server] : []));
  const widest = servers.sort(
    (a, b) => b.routes.reduce((s, r) => s + r.count, 0) - a.routes.reduce((s, r) => s + r.count, 0),
  )[0];
  if (widest !== undefined) merged.server = widest;
  return merged;
}
