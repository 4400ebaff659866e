import { decodeHistogram } from '../metrics/hdr-histograms.js';
import type { RunSoFar, WindowLatency } from '../metrics/run-aggregator.js';
import { neverTimed } from '../model/never-timed.js';
import { statsCsv } from '../model/stats-csv.js';
import { steeringLabel } from '../model/steering-label.js';
import type {
  EndpointStats,
  Summary,
  ThresholdResult,
  TimeWindow,
  WindowEndpoint,
} from '../model/summary-schema.js';
import type { SteeringChange } from '../model/timeline-schema.js';
import { metricRows, thresholdActual } from '../terminal/custom-tables.js';

/** What the page is told of the run once, at the start. */
export interface LiveRunMeta {
  testid: string;
  scenario: string;
  label: string;
  target: string;
  model: 'closed' | 'open';
  /** The model as the start line says it, e.g. "20 users at 5/s". */
  load: string;
  profile: string;
  durationSec: number;
  windowSec: number;
  threads: number;
  segment: { index: number; count: number };
  thresholds: string[];
}

/**
 * One endpoint's window figures for the charts (no histogram: the page draws, it does not merge);
 * percentiles null when the window timed none of its samples (all failed without a value).
 */
type LiveEndpointWindow = {
  count: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

/** A closed window as the page gets it. */
export interface LiveWindow extends Omit<TimeWindow, 'endpoints'> {
  endpoints: Record<string, LiveEndpointWindow>;
  /** The window's percentiles over every HTTP endpoint together; null when none was timed. */
  latency: WindowLatency | null;
  /** Failed requests in the window by kind (http_500, timeout, ...). */
  errorKinds: Record<string, number>;
}

/** A row of the endpoint table, as the end-of-run table has it; `kind` groups what is not HTTP. */
export interface LiveRow {
  endpoint: string;
  /** `http`, `ws`, or any kind a later loadgen adds (custom metrics arrive as `custom`). */
  kind: string;
  setup: boolean;
  /** A custom trend's unit when not ms: its percentiles are in it. */
  unit?: string;
  /** False: counted but never timed (model/never-timed.ts): no percentiles, rather than 0 ms. */
  timed: boolean;
  count: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Everything the page shows besides the charts, as of the latest window (or the end). */
export interface LiveFigures {
  elapsedSec: number;
  rows: LiveRow[];
  total: LiveRow;
  run: Pick<RunSoFar, 'requests' | 'errors' | 'max'> | undefined;
  checks: NonNullable<Summary['checks']>;
  /** Each with its figure as the end-of-run table reads it (a ratio in %, a unit, "no data"). */
  thresholds: (ThresholdResult & { actualText: string })[];
  /** Custom counters, rates and gauges so far, in the end-of-run table's words. */
  metrics: { name: string; type: string; value: string; detail: string }[];
  failures: Summary['failures'];
  generator: Summary['generator'] | null;
  droppedIterations: number;
  peakConnected: number | null;
}

const row = (e: EndpointStats): LiveRow => ({
  endpoint: e.endpoint,
  kind: e.kind ?? 'http',
  setup: e.setup === true,
  ...(e.unit === undefined ? {} : { unit: e.unit }),
  timed: !neverTimed(e),
  count: e.count,
  errors: e.errors,
  rps: e.rps,
  p50: e.latencyMs.p50,
  p95: e.latencyMs.p95,
  p99: e.latencyMs.p99,
  max: e.latencyMs.max,
});

function figuresOf(s: Summary, run: RunSoFar | undefined): LiveFigures {
  const t = s.totals;
  return {
    elapsedSec: s.run.elapsedSec,
    rows: s.endpoints.map(row),
    total: {
      endpoint: 'Total',
      kind: 'http',
      setup: false,
      timed: !neverTimed({ latencyMs: t.latencyMs, count: t.requests, errors: t.errors }),
      count: t.requests,
      errors: t.errors,
      rps: t.rps,
      p50: t.latencyMs.p50,
      p95: t.latencyMs.p95,
      p99: t.latencyMs.p99,
      max: t.latencyMs.max,
    },
    run: run === undefined ? undefined : { requests: run.requests, errors: run.errors, max: run.max },
    checks: s.checks ?? [],
    thresholds: s.thresholds.map((r) => ({ ...r, actualText: thresholdActual(r, s) })),
    metrics: metricRows(s).map(([name = '', type = '', value = '', detail = '']) => ({
      name,
      type,
      value,
      detail,
    })),
    // The commonest first; the page is no place for a thousand sample messages.
    failures: s.failures.slice(0, 20),
    generator: s.generator ?? null,
    droppedIterations: t.droppedIterations,
    peakConnected: t.peakConnected ?? null,
  };
}

/**
 * Whether a window timed any of an endpoint's samples. Percentiles of 0 are those of an empty
 * histogram (or of a trend's real zeros): only then is the histogram decoded to tell which.
 */
function windowTimed(e: WindowEndpoint): boolean {
  if (e.p99 > 0 || e.count === 0) return e.count > 0;
  const h = decodeHistogram(e.histogram);
  const timed = h.totalCount > 0;
  h.destroy();
  return timed;
}

/** Steering changes as the page gets them: each with its label (model/steering-label.ts), the page writes none. */
export const labelled = <C extends SteeringChange>(changes: readonly C[]) =>
  changes.map((c) => ({ ...c, label: steeringLabel(c) }));

const errorKindTotals = (s: Summary): Map<string, number> => {
  const m = new Map<string, number>();
  for (const f of s.failures) m.set(f.kind, (m.get(f.kind) ?? 0) + f.count);
  return m;
};

/**
 * The run as the dashboard shows it: every window so far (for charts drawn from the start when a
 * page opens late), the latest figures, and at the end the summary itself, so the page's totals
 * are the summary's.
 */
export class LiveRunState {
  readonly windows: LiveWindow[] = [];
  private current: Summary | undefined;
  private figures: LiveFigures | undefined;
  private kinds = new Map<string, number>();
  final: Summary | undefined;

  constructor(readonly meta: LiveRunMeta) {}

  /** A window closed: keep it and the run so far; what to push to the pages. */
  addWindow(w: TimeWindow, latency: WindowLatency, run: RunSoFar, soFar: Summary) {
    const totals = errorKindTotals(soFar);
    const errorKinds: Record<string, number> = {};
    for (const [kind, n] of totals) {
      const added = n - (this.kinds.get(kind) ?? 0);
      if (added > 0) errorKinds[kind] = added;
    }
    this.kinds = totals;
    const endpoints: Record<string, LiveEndpointWindow> = {};
    // The window's latency is HTTP's (sockets and custom trends have their own): timed when any HTTP endpoint was.
    const kinds = new Map(soFar.endpoints.map((e) => [e.endpoint, e.kind ?? 'http']));
    let httpTimed = false;
    for (const [name, e] of Object.entries(w.endpoints)) {
      const timed = windowTimed(e);
      endpoints[name] = timed
        ? { count: e.count, errors: e.errors, p50: e.p50, p95: e.p95, p99: e.p99 }
        : { count: e.count, errors: e.errors, p50: null, p95: null, p99: null };
      if (timed && kinds.get(name) === 'http') httpTimed = true;
    }
    const window: LiveWindow = { ...w, endpoints, latency: httpTimed ? latency : null, errorKinds };
    this.windows.push(window);
    this.current = soFar;
    this.figures = figuresOf(soFar, run);
    return { window, figures: this.figures, timeline: labelled(soFar.timeline ?? []) };
  }

  /** The run's summary, once written: the page's final figures are its figures. */
  finish(summary: Summary) {
    this.final = summary;
    this.figures = figuresOf(summary, undefined);
    return {
      figures: this.figures,
      timeline: labelled(summary.timeline ?? []),
      interrupted: summary.run.interrupted,
    };
  }

  /** Everything a page needs when it opens (or reopens): the meta, every window, the figures. */
  snapshot() {
    return {
      meta: this.meta,
      windows: this.windows,
      figures: this.figures ?? null,
      timeline: labelled((this.final ?? this.current)?.timeline ?? []),
      ended: this.final !== undefined,
      interrupted: this.final?.run.interrupted ?? false,
    };
  }

  /** The endpoint table as stats.csv has it, as of now (undefined before the first window). */
  csv(): string | undefined {
    const s = this.final ?? this.current;
    return s === undefined ? undefined : statsCsv(s);
  }
}
