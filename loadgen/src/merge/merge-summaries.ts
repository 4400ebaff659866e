import { LoadgenError } from '../errors.js';
import {
  encodeHistogram,
  type Histogram,
  latencyStats,
  mergeEncoded,
  percentileMs,
} from '../metrics/hdr-histograms.js';
import { deriveCallPattern } from '../model/call-pattern.js';
import { addMetrics, addWindowMetric } from '../model/custom-metric-math.js';
import type { WindowMetric } from '../model/custom-metric-schema.js';
import { endpointKindText, metricKindText, NameKinds } from '../model/name-kinds.js';
import { perSecond } from '../model/per-second.js';
import { mergeProvenance } from '../model/run-provenance.js';
import type {
  EndpointStats,
  Failure,
  Provenance,
  SocketStats,
  Summary,
  TimeWindow,
  WindowEndpoint,
  WindowSockets,
} from '../model/summary-schema.js';
import { evaluateThresholds } from '../thresholds/threshold-evaluator.js';
import { parseThreshold } from '../thresholds/threshold-parser.js';
import {
  mergedGeneratorSummary,
  mergedTimeline,
  mergeWindowGenerators,
  tagSegment,
} from './merge-generator.js';

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
  const sockets = windows.flatMap((w) => (w.ws === undefined ? [] : [w.ws]));
  const ws: WindowSockets | undefined =
    sockets.length === 0
      ? undefined
      : {
          connected: sockets.reduce((s, w) => s + w.connected, 0),
          connectedPeak: sockets.reduce((s, w) => s + w.connectedPeak, 0),
          sent: sockets.reduce((s, w) => s + w.sent, 0),
          received: sockets.reduce((s, w) => s + w.received, 0),
        };
  const metrics: Record<string, WindowMetric> = {};
  for (const w of windows) {
    for (const [name, m] of Object.entries(w.metrics ?? {})) {
      const known = metrics[name];
      metrics[name] = known === undefined ? m : addWindowMetric(known, m);
    }
  }
  const generator = mergeWindowGenerators(windows);
  return {
    t: (windows[0] as TimeWindow).t,
    activeUsers: windows.reduce((s, w) => s + w.activeUsers, 0),
    ...(windows.every((w) => w.loopUsers !== undefined)
      ? { loopUsers: windows.reduce((s, w) => s + (w.loopUsers ?? 0), 0) }
      : {}),
    requests: windows.reduce((s, w) => s + w.requests, 0),
    errors: windows.reduce((s, w) => s + w.errors, 0),
    droppedIterations: windows.reduce((s, w) => s + w.droppedIterations, 0),
    endpoints,
    ...(ws === undefined ? {} : { ws }),
    ...(Object.keys(metrics).length === 0 ? {} : { metrics }),
    ...(generator === undefined ? {} : { generator }),
  };
}

/** Adds an optional count: absent when every input lacks it (files older than the field). */
const sumOptional = <T>(list: readonly T[], get: (x: T) => number | undefined): number | undefined =>
  list.some((x) => get(x) !== undefined) ? list.reduce((s, x) => s + (get(x) ?? 0), 0) : undefined;

/** Message counts and closes added up by type (and protocol) and code. */
function mergeSocketStats(list: SocketStats[]): SocketStats | undefined {
  if (list.length === 0) return undefined;
  const byType = groupBy(
    list.flatMap((s) => s.messages),
    (m) => `${m.protocol ?? ''} ${m.type}`,
  );
  const merged: SocketStats = {
    connects: list.reduce((s, x) => s + x.connects, 0),
    messages: [...byType.values()]
      .sort(
        (a, b) =>
          (a[0]?.type ?? '').localeCompare(b[0]?.type ?? '') || (a[0]?.protocol === undefined ? -1 : 1),
      )
      .map((ms) => {
        const first = ms[0] as SocketStats['messages'][number];
        const sentBytes = sumOptional(ms, (m) => m.sentBytes);
        const receivedBytes = sumOptional(ms, (m) => m.receivedBytes);
        return {
          type: first.type,
          ...(first.protocol === undefined ? {} : { protocol: first.protocol }),
          sent: ms.reduce((s, m) => s + m.sent, 0),
          received: ms.reduce((s, m) => s + m.received, 0),
          dropped: ms.reduce((s, m) => s + m.dropped, 0),
          ...(sentBytes === undefined ? {} : { sentBytes }),
          ...(receivedBytes === undefined ? {} : { receivedBytes }),
        };
      }),
    closeCodes: sumRecords(list.map((s) => s.closeCodes)),
  };
  const reconnects = sumOptional(list, (s) => s.reconnects);
  if (reconnects !== undefined) merged.reconnects = reconnects;
  const wireSent = sumOptional(list, (s) => s.wireBytes?.sent);
  if (wireSent !== undefined) {
    merged.wireBytes = { sent: wireSent, received: sumOptional(list, (s) => s.wireBytes?.received) ?? 0 };
  }
  return merged;
}

/**
 * The merged run's peak of connected sockets: the highest merged window (each window's segments
 * added), not the sum of the segments' peaks, which may have fallen at different times. Inputs
 * without windows carrying sockets fall back to that sum, an upper bound.
 */
function mergedPeakConnected(summaries: Summary[], timeSeries: TimeWindow[]): number | undefined {
  const peaks = summaries.flatMap((s) =>
    s.totals.peakConnected === undefined ? [] : [s.totals.peakConnected],
  );
  if (peaks.length === 0) return undefined;
  const windows = timeSeries.flatMap((w) => (w.ws === undefined ? [] : [w.ws.connectedPeak]));
  return windows.length > 0 ? Math.max(...windows) : peaks.reduce((s, p) => s + p, 0);
}

/** A count some inputs lack (written before it existed): summed where present, absent when none has it. */
function optionalSum(
  summaries: Summary[],
  field: 'setups' | 'teardowns',
): Partial<Record<typeof field, number>> {
  const known = summaries.flatMap((s) => (s.totals[field] === undefined ? [] : [s.totals[field]]));
  return known.length === 0 ? {} : { [field]: known.reduce((a, b) => a + b, 0) };
}

/** A segment a threshold stopped (`abort`) stopped the run it is part of: the earliest one. */
function firstAborted(summaries: Summary[]): Pick<Summary['run'], 'aborted'> {
  const aborted = summaries.flatMap((s) => (s.run.aborted === undefined ? [] : [s.run.aborted]));
  return aborted.length === 0 ? {} : { aborted: aborted.sort((a, b) => a.atSec - b.atSec)[0] };
}

export interface MergeOptions {
  /** Where each summary came from (file paths), for the messages; default `#1`, `#2`, ... */
  sources?: string[];
  /** Merge even when segments are missing; the result is marked partial and names them. */
  allowPartial?: boolean;
}

const refuse = (message: string): never => {
  throw new LoadgenError('LG_MERGE_REFUSED', `merge refused: ${message}`);
};

/**
 * What makes inputs one run, checked before anything is added: a merge of two different runs, or
 * of one segment twice, would give figures that look right and are not.
 */
function checkMergeable(summaries: Summary[], sources: string[], allowPartial: boolean): number[] {
  const first = summaries[0] as Summary;
  const name = (i: number) => sources[i] ?? `#${i + 1}`;
  const seg = (s: Summary) => `${s.run.segment.index}/${s.run.segment.count}`;
  summaries.forEach((s, i) => {
    const r = s.run;
    if (r.testid !== first.run.testid)
      refuse(`${name(i)} is run "${r.testid}", ${name(0)} is run "${first.run.testid}" (one run at a time)`);
    if (r.scenario.name !== first.run.scenario.name || r.scenario.label !== first.run.scenario.label)
      refuse(
        `${name(i)} ran scenario ${r.scenario.name} (${r.scenario.label}), ${name(0)} ran ${first.run.scenario.name} (${first.run.scenario.label})`,
      );
    if (r.windowSec !== first.run.windowSec)
      refuse(`${name(i)} has ${r.windowSec} s windows, ${name(0)} has ${first.run.windowSec} s windows`);
    if (r.segment.count !== first.run.segment.count)
      refuse(
        `${name(i)} is segment ${seg(s)}, ${name(0)} is segment ${seg(first)}: different segment counts`,
      );
  });
  // A name must be the same thing in every segment: a counter is not added to a rate, nor a trend
  // in players to one in ms.
  const kinds = new NameKinds();
  summaries.forEach((s, i) => {
    const parts = [
      ...s.endpoints.map((e) => [e.endpoint, endpointKindText(e)] as const),
      ...(s.metrics ?? []).map((m) => [m.name, metricKindText(m)] as const),
    ];
    for (const [metric, kind] of parts) {
      const clash = kinds.note(metric, kind, name(i));
      if (clash !== undefined) {
        refuse(
          `"${clash.name}" is ${clash.was} in ${clash.wasIn} and ${clash.is} in ${name(i)}: their figures cannot be added (the segments must run the same scenario)`,
        );
      }
    }
  });
  const seen = new Map<number, number>();
  summaries.forEach((s, i) => {
    const twice = seen.get(s.run.segment.index);
    if (twice !== undefined) refuse(`${name(twice)} and ${name(i)} are both segment ${seg(s)}`);
    seen.set(s.run.segment.index, i);
  });
  const n = first.run.segment.count;
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0 && !allowPartial) {
    refuse(
      `segment${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} of run "${first.run.testid}" missing (--allow-partial merges what is there and marks the result partial)`,
    );
  }
  return missing;
}

/**
 * Combine the segment summaries of one run into one. Histograms are added, so the merged
 * percentiles are those of one histogram fed every request (HdrHistogram: 3 significant digits,
 * and adding loses nothing). Windows are lined up by wall-clock time: each input's window t lies
 * at its own startedAt + t, so inputs that started apart land where they ran, not on top of each
 * other. Refuses (LG_MERGE_REFUSED) inputs that are not one run's distinct segments.
 */
export function mergeSummaries(summaries: Summary[], options: MergeOptions = {}): Summary {
  const first = summaries[0];
  if (first === undefined) throw new LoadgenError('LG_USAGE', 'merge needs at least one summary');
  const missing = checkMergeable(summaries, options.sources ?? [], options.allowPartial === true);
  const windowSec = first.run.windowSec;
  const startMs = summaries.map((s) => Date.parse(s.run.startedAt));
  const originMs = Math.min(...startMs);
  // Windows are placed by each input's clock (startedAt); the skew is told by when users really began.
  const actualStartMs = summaries.map((s, i) => (startMs[i] as number) + (s.run.startLateMs ?? 0));
  const offsetSec = startMs.map((ms) => (ms - originMs) / 1000);
  const elapsedSec =
    Math.round(Math.max(...summaries.map((s, i) => (offsetSec[i] as number) + s.run.elapsedSec)) * 1000) /
    1000;
  const n = first.run.segment.count;

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
      rps: perSecond(count, elapsedSec),
      histogram: encodeHistogram(h),
      ...(list.some((e) => e.setup === true) ? { setup: true } : {}),
      ...(list[0]?.kind === undefined ? {} : { kind: list[0].kind }),
      ...(list[0]?.unit === undefined ? {} : { unit: list[0].unit }),
      ...(list.some((e) => e.decodedBytes !== undefined)
        ? { decodedBytes: list.reduce((s, e) => s + (e.decodedBytes ?? 0), 0) }
        : {}),
    });
    h.destroy();
  }

  // A window's place on the merged clock: its own start plus its segment's offset, to the nearest
  // whole window (with --start-at every offset is 0; without, segments may start any time apart).
  const placed = summaries.flatMap((s, i) =>
    s.timeSeries.map((w) => {
      const index = Math.round(((offsetSec[i] as number) + w.t) / windowSec);
      const g = w.generator;
      return {
        ...w,
        t: Math.round(index * windowSec * 1000) / 1000,
        ...(g === undefined ? {} : { generator: tagSegment(g, s.run.segment.index) }),
      };
    }),
  );
  const timeSeries = [...groupBy(placed, (w) => String(w.t))]
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
  const peakConnected = mergedPeakConnected(summaries, timeSeries);
  const total = mergeEncoded(summaries.map((s) => s.totals.histogram));
  const requests = summaries.reduce((s, x) => s + x.totals.requests, 0);
  const errors = summaries.reduce((s, x) => s + x.totals.errors, 0);
  const merged: Summary = {
    schemaVersion: first.schemaVersion,
    run: {
      ...first.run,
      // Segments of a scenario that declares no pattern derive it from what each one called; a
      // small segment may have missed a rare endpoint, so the whole run's endpoints decide.
      callPattern: summaries.every((s) => s.run.callPattern === first.run.callPattern)
        ? first.run.callPattern
        : deriveCallPattern(endpoints),
      // The whole run, even when partial: merge.partial and merge.missingSegments say what is not in it.
      segment: n > 1 ? { index: 0, count: 1 } : first.run.segment,
      parts: summaries.reduce((s, x) => s + x.run.parts, 0),
      elapsedSec,
      startedAt: new Date(originMs).toISOString(),
      endedAt: summaries
        .map((s) => s.run.endedAt)
        .sort()
        .at(-1) as string,
      interrupted: summaries.some((s) => s.run.interrupted),
      ...firstAborted(summaries),
      ...provenanceOf(summaries),
      // One segment that verified no certificate makes the whole run unverified.
      ...(summaries.some((s) => s.run.tls !== undefined)
        ? {
            tls: {
              ...summaries.find((s) => s.run.tls !== undefined)?.run.tls,
              insecure: summaries.some((s) => s.run.tls?.insecure === true),
            },
          }
        : {}),
      merge: {
        parts: summaries
          .map((s, i) => ({
            index: s.run.segment.index,
            count: s.run.segment.count,
            startedAt: s.run.startedAt,
            actualStartAt: new Date(actualStartMs[i] as number).toISOString(),
            endedAt: s.run.endedAt,
          }))
          .sort((a, b) => a.index - b.index),
        maxStartSkewMs: Math.max(...actualStartMs) - Math.min(...actualStartMs),
        partial: missing.length > 0,
        missingSegments: missing,
      },
    },
    totals: {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      bytes: summaries.reduce((s, x) => s + x.totals.bytes, 0),
      rps: perSecond(requests, elapsedSec),
      iterations: summaries.reduce((s, x) => s + x.totals.iterations, 0),
      droppedIterations: summaries.reduce((s, x) => s + x.totals.droppedIterations, 0),
      peakUsers: Math.max(0, ...timeSeries.map((w) => w.activeUsers)),
      latencyMs: latencyStats(total),
      histogram: encodeHistogram(total),
      ...(scriptErrors > 0 ? { scriptErrors } : {}),
      ...optionalSum(summaries, 'setups'),
      ...optionalSum(summaries, 'teardowns'),
      ...(peakConnected === undefined ? {} : { peakConnected }),
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
  const ws = mergeSocketStats(summaries.flatMap((s) => (s.ws === undefined ? [] : [s.ws])));
  if (ws !== undefined) merged.ws = ws;
  const metrics = summaries.flatMap((s) => (s.metrics === undefined ? [] : [s.metrics]));
  if (metrics.length > 0) merged.metrics = addMetrics(metrics, elapsedSec);
  const generator = mergedGeneratorSummary(summaries, timeSeries);
  if (generator !== undefined) merged.generator = generator;
  const timeline = mergedTimeline(summaries, offsetSec);
  if (timeline.length > 0) merged.timeline = timeline;
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

/** Every segment's tags and host, in one provenance (model/run-provenance.ts); none: no field. */
function provenanceOf(summaries: readonly Summary[]): { provenance?: Provenance } {
  const provenance = mergeProvenance(summaries.map((s) => s.run.provenance));
  return provenance === undefined ? {} : { provenance };
}
