import { LoadgenError } from '../errors.js';
import { addWindowMetric } from '../model/custom-metric-math.js';
import type { WindowMetric } from '../model/custom-metric-schema.js';
import type { WindowGenerator } from '../model/generator-schema.js';
import { endpointKindText, metricKindText, NameKinds } from '../model/name-kinds.js';
import type { Failure, TimeWindow, WindowEndpoint, WindowSockets } from '../model/summary-schema.js';
import { CustomMetricTotals } from './custom-metric-totals.js';
import {
  createHistogram,
  createHistogramFor,
  decodeHistogram,
  encodeHistogram,
  type Histogram,
  percentileMs,
} from './hdr-histograms.js';
import { SocketTotals } from './socket-totals.js';
import { type ThreadHealthReport, windowGeneratorOf } from './thread-health.js';
import type { EndpointKind, WindowReport } from './window-recorder.js';

/** Everything measured for one endpoint since the start. */
export interface EndpointTotals {
  kind: EndpointKind;
  /** A custom trend's unit (ms for everything else). */
  unit: string;
  histogram: Histogram;
  count: number;
  errors: number;
  bytes: number;
  /** Body bytes after decoding (requests that asked to decompress); undefined while none did. */
  decodedBytes?: number;
  statusCounts: Map<string, number>;
  /** error kind -> count */
  errorKinds: Map<string, number>;
}

/** Percentiles of one window over every endpoint together (ms). */
export interface WindowLatency {
  p50: number;
  p95: number;
  p99: number;
}

/** The run from its start to the latest completed window, over every endpoint together. */
export interface RunSoFar extends WindowLatency {
  requests: number;
  errors: number;
  /** The slowest response so far (ms): a stall shows here even when too few requests hit it to move p99. */
  max: number;
  /** The most sockets open at once so far (summed over parts per window); undefined: no socket yet. */
  peakConnected?: number;
  /** Exceptions the script's code threw so far. */
  scriptErrors?: number;
  /** Custom trends' samples and failures so far (vu.time, vu.record); undefined: none yet. */
  custom?: { count: number; errors: number };
}

interface PendingWindow {
  reports: number;
  activeUsers: number;
  /** undefined until a part reports it. */
  loopUsers: number | undefined;
  iterations: number;
  dropped: number;
  endpoints: Map<string, { count: number; errors: number; histogram: Histogram | undefined; single: string }>;
  ws: WindowSockets | undefined;
  metrics: Map<string, WindowMetric> | undefined;
  health: ThreadHealthReport[];
}

/**
 * The main thread's view of the run: adds every part's window reports into cumulative
 * per-endpoint histograms (HdrHistogram add, which loses nothing) and into one merged window per index.
 */
export class RunAggregator {
  readonly endpoints = new Map<string, EndpointTotals>();
  readonly windows: TimeWindow[] = [];
  private readonly pending = new Map<number, PendingWindow>();
  private readonly failures = new Map<string, Failure>();
  iterations = 0;
  /** Setups tried and teardowns run (with iterations: the script_errors threshold's denominator). */
  setups = 0;
  teardowns = 0;
  dropped = 0;
  peakUsers = 0;
  scriptErrors = 0;
  /** label -> [passes, fails] over the whole run. */
  readonly checks = new Map<string, [number, number]>();
  /** Endpoints called from a user's setup. */
  readonly setupEndpoints = new Set<string>();
  /** Users of the latest completed window, summed over parts. */
  activeUsers = 0;
  /** Sockets open at the end of the latest completed window, summed over parts. */
  connected = 0;
  /** The highest window's `connectedPeak`; undefined while no part has tried a socket. */
  peakConnected: number | undefined;
  /** Socket handshakes, messages by name, closes by code and wire bytes over the run. */
  readonly sockets = new SocketTotals();
  /** Custom counters, rates and gauges over the completed windows. */
  readonly metrics = new CustomMetricTotals();
  /** The generator's health in the latest completed window (undefined: not sampled). */
  generator: WindowGenerator | undefined;
  private readonly listeners: Array<(w: TimeWindow, all: WindowLatency, run: RunSoFar) => void> = [];
  /** Every completed window's requests over all endpoints, for the live view's run-so-far figures. */
  private readonly runHistogram: Histogram = createHistogram();
  private runRequests = 0;
  private runErrors = 0;
  private customCount = 0;
  private customErrors = 0;
  /** What each name is in the threads that reported it, and the first clash between two threads. */
  private readonly nameKinds = new NameKinds();
  private clash: LoadgenError | undefined;

  constructor(
    private readonly parts: number,
    private readonly windowSec: number,
  ) {}

  /** Called with each window once every part has reported it, and the run up to it (any number of listeners). */
  subscribe(listener: (w: TimeWindow, all: WindowLatency, run: RunSoFar) => void): void {
    this.listeners.push(listener);
  }

  totals(endpoint: string, kind: EndpointKind = 'http', unit = 'ms'): EndpointTotals {
    let t = this.endpoints.get(endpoint);
    if (t === undefined) {
      t = {
        kind,
        unit,
        histogram: createHistogramFor(unit),
        count: 0,
        errors: 0,
        bytes: 0,
        statusCounts: new Map(),
        errorKinds: new Map(),
      };
      this.endpoints.set(endpoint, t);
    }
    return t;
  }

  add(report: WindowReport): void {
    this.iterations += report.iterations;
    this.setups += report.setups ?? 0;
    this.teardowns += report.teardowns ?? 0;
    this.dropped += report.droppedIterations;
    let p = this.pending.get(report.index);
    if (p === undefined) {
      p = {
        reports: 0,
        activeUsers: 0,
        loopUsers: undefined,
        iterations: 0,
        dropped: 0,
        endpoints: new Map(),
        ws: undefined,
        metrics: undefined,
        health: [],
      };
      this.pending.set(report.index, p);
    }
    p.reports++;
    p.activeUsers += report.activeUsers;
    if (report.loopUsers !== undefined) p.loopUsers = (p.loopUsers ?? 0) + report.loopUsers;
    if (report.health !== undefined) p.health.push(report.health);
    for (const name of report.setupEndpoints ?? []) this.setupEndpoints.add(name);
    for (const [label, [passes, fails]] of Object.entries(report.checks ?? {})) {
      const c = this.checks.get(label);
      if (c === undefined) this.checks.set(label, [passes, fails]);
      else {
        c[0] += passes;
        c[1] += fails;
      }
    }
    for (const [phase, e] of Object.entries(report.scriptErrors ?? {})) {
      this.scriptErrors += e.count;
      this.addFailure(`(${phase})`, 'script_error', e.count, e.sample);
    }
    p.dropped += report.droppedIterations;
    if (report.ws !== undefined) p.ws = this.sockets.add(report.ws, p.ws);
    for (const [name, m] of Object.entries(report.metrics ?? {})) {
      this.checkKind(name, metricKindText(m));
      p.metrics ??= new Map();
      const known = p.metrics.get(name);
      p.metrics.set(name, known === undefined ? m : addWindowMetric(known, m));
    }
    for (const [name, e] of Object.entries(report.endpoints)) {
      this.checkKind(name, endpointKindText(e));
      const t = this.totals(name, e.kind ?? 'http', e.unit);
      const h = decodeHistogram(e.histogram);
      t.histogram.add(h);
      t.count += e.count;
      t.errors += e.errors;
      t.bytes += e.bytes;
      if (e.decodedBytes !== undefined) t.decodedBytes = (t.decodedBytes ?? 0) + e.decodedBytes;
      for (const [s, c] of Object.entries(e.statusCounts))
        t.statusCounts.set(s, (t.statusCounts.get(s) ?? 0) + c);
      for (const [kind, f] of Object.entries(e.failures)) {
        t.errorKinds.set(kind, (t.errorKinds.get(kind) ?? 0) + f.count);
        this.addFailure(name, kind, f.count, f.sample);
      }
      const w = p.endpoints.get(name);
      if (w === undefined) {
        p.endpoints.set(name, { count: e.count, errors: e.errors, histogram: h, single: e.histogram });
      } else {
        w.count += e.count;
        w.errors += e.errors;
        w.histogram?.add(h);
        h.destroy();
      }
    }
    if (p.reports === this.parts) this.complete(report.index, p);
  }

  /** A part's socket figures: into the run's message totals and the window's sums. */
  private addFailure(endpoint: string, kind: string, count: number, sample: string): void {
    const key = `${endpoint}\u0000${kind}`;
    const known = this.failures.get(key);
    if (known === undefined) this.failures.set(key, { endpoint, kind, count, sample });
    else known.count += count;
  }

  private complete(index: number, p: PendingWindow): void {
    this.pending.delete(index);
    const endpoints: Record<string, WindowEndpoint> = {};
    const all = createHistogram();
    let requests = 0;
    let errors = 0;
    let customCount = 0;
    let customErrors = 0;
    for (const [name, w] of p.endpoints) {
      const h = w.histogram as Histogram;
      const kind = this.endpoints.get(name)?.kind;
      const http = kind === 'http';
      if (kind === 'custom') {
        customCount += w.count;
        customErrors += w.errors;
      }
      endpoints[name] = {
        count: w.count,
        errors: w.errors,
        p50: percentileMs(h, 50),
        p95: percentileMs(h, 95),
        p99: percentileMs(h, 99),
        histogram: this.parts === 1 ? w.single : encodeHistogram(h),
      };
      // A window's requests and its latency over all endpoints are HTTP's; sockets and custom
      // trends have their own.
      if (http) {
        all.add(h);
        requests += w.count;
        errors += w.errors;
      }
      h.destroy();
    }
    const t = index * this.windowSec;
    const generator = windowGeneratorOf(p.health);
    const window: TimeWindow = {
      t,
      activeUsers: p.activeUsers,
      ...(p.loopUsers === undefined ? {} : { loopUsers: p.loopUsers }),
      requests,
      errors,
      droppedIterations: p.dropped,
      endpoints,
      ...(p.ws === undefined ? {} : { ws: p.ws }),
      ...(p.metrics === undefined ? {} : { metrics: Object.fromEntries(p.metrics) }),
      ...(generator === undefined ? {} : { generator }),
    };
    if (generator !== undefined) this.generator = generator;
    if (p.metrics !== undefined) this.metrics.add(t, p.metrics);
    this.customCount += customCount;
    this.customErrors += customErrors;
    this.activeUsers = p.activeUsers;
    this.peakUsers = Math.max(this.peakUsers, p.activeUsers);
    if (p.ws !== undefined) {
      this.connected = p.ws.connected;
      this.peakConnected = Math.max(this.peakConnected ?? 0, p.ws.connectedPeak);
    }
    // Parts may report the final partial window under different indexes; keep the list ordered.
    // Windows come in order but for those last ones: insert from the end, no sort of them all.
    let at = this.windows.length;
    while (at > 0 && (this.windows[at - 1] as TimeWindow).t > t) at--;
    this.windows.splice(at, 0, window);
    const latency = { p50: percentileMs(all, 50), p95: percentileMs(all, 95), p99: percentileMs(all, 99) };
    this.runHistogram.add(all);
    all.destroy();
    this.runRequests += requests;
    this.runErrors += errors;
    const h = this.runHistogram;
    if (this.listeners.length === 0) return;
    const run: RunSoFar = {
      requests: this.runRequests,
      errors: this.runErrors,
      p50: percentileMs(h, 50),
      p95: percentileMs(h, 95),
      p99: percentileMs(h, 99),
      max: h.totalCount === 0 ? 0 : Math.round(h.maxValue) / 1000,
      ...(this.peakConnected === undefined ? {} : { peakConnected: this.peakConnected }),
      scriptErrors: this.scriptErrors,
      ...(this.customCount === 0 && this.customErrors === 0
        ? {}
        : { custom: { count: this.customCount, errors: this.customErrors } }),
    };
    for (const listener of this.listeners) listener(window, latency, run);
  }

  /** Flush windows some part never reported (it ended a window earlier than the others). */
  /**
   * The last windows; then, when two threads said one name was different things (a counter and
   * a rate), the run is refused (LG_MERGE_REFUSED), as `merge` refuses such segments: its figures
   * of that name would be one thread's with the other's dropped.
   */
  finish(): void {
    for (const [index, p] of [...this.pending].sort((a, b) => a[0] - b[0])) this.complete(index, p);
    if (this.clash !== undefined) throw this.clash;
  }

  /** Threads check their own names, not each other's: a name must be one thing in all of them. */
  private checkKind(name: string, kind: string): void {
    if (this.clash !== undefined || this.parts === 1) return;
    const c = this.nameKinds.note(name, kind, 'one thread');
    if (c === undefined) return;
    this.clash = new LoadgenError(
      'LG_MERGE_REFUSED',
      `the threads' figures cannot be added: "${c.name}" is ${c.was} in one thread and ${c.is} in another (the script makes it so; declaring it in options.metrics makes every thread check it at its first use)`,
    );
  }

  failureTable(): Failure[] {
    return [...this.failures.values()].sort((a, b) => b.count - a.count);
  }
}
