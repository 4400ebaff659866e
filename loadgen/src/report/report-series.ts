import { mergeEncoded } from '../metrics/hdr-histograms.js';
import { steeringLabel } from '../model/steering-label.js';
import type { Summary } from '../model/summary-schema.js';

/** Series for one chart: a shared x axis and one y array per line (null = no data there). */
interface ChartData {
  x: number[];
  lines: { label: string; run: number; y: (number | null)[] }[];
}

/** Align every run's windows on one "seconds since start" axis so uPlot can overlay them. */
function overTime(summaries: readonly Summary[], label: (s: Summary) => string, pick: PickFn): ChartData {
  const xs = [...new Set(summaries.flatMap((s) => s.timeSeries.map((w) => w.t)))].sort((a, b) => a - b);
  const lines = summaries.map((s, run) => {
    const byT = new Map(s.timeSeries.map((w) => [w.t, w] as const));
    return { label: label(s), run, y: xs.map((t) => pick(s, byT.get(t))) };
  });
  return { x: xs, lines };
}

type PickFn = (s: Summary, w: Summary['timeSeries'][number] | undefined) => number | null;

const round = (v: number): number => Math.round(v * 1000) / 1000;

export function rpsSeries(summaries: readonly Summary[]): ChartData {
  return overTime(
    summaries,
    (s) => s.run.testid,
    (s, w) => (w === undefined ? null : round(w.requests / s.run.windowSec)),
  );
}

export function usersSeries(summaries: readonly Summary[]): ChartData {
  return overTime(
    summaries,
    (s) => s.run.testid,
    (_s, w) => (w === undefined ? null : w.activeUsers),
  );
}

/** Connected sockets (CCU) at each window's end; null where a run had no socket yet. */
export function connectedSeries(summaries: readonly Summary[]): ChartData {
  return overTime(
    summaries,
    (s) => s.run.testid,
    (_s, w) => w?.ws?.connected ?? null,
  );
}

/** Socket messages per second, sent and received together; null where a run had no socket. */
export function messagesSeries(summaries: readonly Summary[]): ChartData {
  return overTime(
    summaries,
    (s) => s.run.testid,
    (s, w) => (w?.ws === undefined ? null : round((w.ws.sent + w.ws.received) / s.run.windowSec)),
  );
}

/** The busiest thread's share of each window (%), where a run measured its generator's health. */
export function generatorBusySeries(summaries: readonly Summary[]): ChartData {
  return overTime(
    summaries,
    (s) => s.run.testid,
    (_s, w) =>
      w?.generator === undefined ? null : round(100 * Math.max(0, ...w.generator.threads.map((t) => t.busy))),
  );
}

/** The worst thread's event-loop delay p99 in each window (ms). */
export function generatorLoopSeries(summaries: readonly Summary[]): ChartData {
  return overTime(
    summaries,
    (s) => s.run.testid,
    (_s, w) =>
      w?.generator === undefined ? null : Math.max(0, ...w.generator.threads.map((t) => t.loopP99Ms)),
  );
}

/** A steering change as a chart marks it: its time, what it set, and its run (for the colour). */
interface TimelineMark {
  t: number;
  label: string;
  run: number;
}

/** Every run's steering changes, labelled as the charts show them (`users 20`, `rate 50/s`, `stop`). */
export function timelineMarks(summaries: readonly Summary[]): TimelineMark[] {
  return summaries.flatMap((s, run) =>
    (s.timeline ?? []).map((c) => ({ t: c.t, label: steeringLabel(c), run })),
  );
}

/**
 * One chart per endpoint (in the order the runs list them), runs overlaid; a custom trend of
 * another unit than ms says its unit.
 */
export function p95Series(
  summaries: readonly Summary[],
): { endpoint: string; unit?: string; chart: ChartData }[] {
  const endpoints = [...new Set(summaries.flatMap((s) => s.endpoints.map((e) => e.endpoint)))];
  const unitOf = (name: string) =>
    summaries.flatMap((s) => s.endpoints).find((e) => e.endpoint === name && e.unit !== undefined)?.unit;
  return endpoints.map((endpoint) => ({
    endpoint,
    ...(unitOf(endpoint) === undefined ? {} : { unit: unitOf(endpoint) }),
    chart: overTime(
      summaries,
      (s) => s.run.testid,
      (_s, w) => w?.endpoints[endpoint]?.p95 ?? null,
    ),
  }));
}

/**
 * One chart per custom counter (per second), rate (its share of true, %) and gauge (its value),
 * window by window, runs overlaid.
 */
export function metricSeries(
  summaries: readonly Summary[],
): { name: string; type: string; chart: ChartData }[] {
  const metrics = new Map(summaries.flatMap((s) => (s.metrics ?? []).map((m) => [m.name, m.type] as const)));
  return [...metrics].map(([name, type]) => ({
    name,
    type,
    chart: overTime(
      summaries,
      (s) => s.run.testid,
      (s, w) => {
        const m = w?.metrics?.[name];
        if (m === undefined) return null;
        if ('count' in m) return round(m.count / s.run.windowSec);
        if ('passes' in m)
          return m.passes + m.fails === 0 ? null : round((100 * m.passes) / (m.passes + m.fails));
        return m.value;
      },
    ),
  }));
}

/**
 * Latency by percentile from each run's whole-run histogram, on the "number of nines" axis
 * (x = -log10(1 - p)): 0.3 = p50, 1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99, as HdrHistogram's
 * own plotter draws it. y in ms; the chart puts it on a log scale.
 */
export function percentileCurves(summaries: readonly Summary[]): ChartData {
  const x: number[] = [];
  for (let n = Math.log10(2); n <= 4 + 1e-9; n += 0.05) x.push(round(n));
  if (x[x.length - 1] !== 4) x.push(4);
  const lines = summaries.map((s, run) => {
    const h = mergeEncoded([s.totals.histogram]);
    const y = x.map((n) =>
      h.totalCount === 0 ? null : Math.max(0.001, round(h.getValueAtPercentile(100 * (1 - 10 ** -n)) / 1000)),
    );
    h.destroy();
    return { label: s.run.testid, run, y };
  });
  return { x, lines };
}
