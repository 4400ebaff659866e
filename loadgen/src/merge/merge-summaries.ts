import { LoadgenError } from '../errors.js';
import { encodeHistogram, latencyStats, mergeEncoded } from '../metrics/hdr-histograms.js';
import { deriveCallPattern } from '../model/call-pattern.js';
import { addMetrics } from '../model/custom-metric-math.js';
import { perSecond } from '../model/per-second.js';
import { mergeProvenance } from '../model/run-provenance.js';
import type { EndpointStats, Failure, Provenance, Summary } from '../model/summary-schema.js';
import { evaluateThresholds } from '../thresholds/threshold-evaluator.js';
import { parseThreshold } from '../thresholds/threshold-parser.js';
import { groupBy, sumRecords } from './grouping.js';
import { mergedGeneratorSummary, mergedTimeline, tagSegment } from './merge-generator.js';
import { mergedPeakConnected, mergeSocketStats } from './merge-sockets.js';
import { mergeWindows } from './merge-windows.js';
import { checkMergeable } from './mergeable-check.js';

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
