import type { MetricDeclarations } from '../api/metrics-options.js';
import type { WindowMetric } from '../model/custom-metric-schema.js';
import { CustomMetrics } from './custom-metrics.js';
import {
  createHistogramFor,
  encodeHistogram,
  type Histogram,
  recordMicros,
  recordThousandths,
} from './hdr-histograms.js';
import { MetricNames } from './metric-names.js';
import { MetricTags } from './metric-tags.js';
import { SocketCounters, type SocketWindowReport } from './socket-counters.js';
import type { ThreadHealthReport } from './thread-health.js';

/**
 * `http`: a request; `ws`: a socket's handshake, request→reply or push delay (see vu-ws.ts);
 * `custom`: a trend the script measured (`vu.time`, `vu.record`).
 */
export type EndpointKind = 'http' | 'ws' | 'custom';

/** What one part (thread or in-process engine) measured during one window, ready to post. */
export interface WindowReport {
  /** Window number since the run's start (t = index * windowSec). */
  index: number;
  activeUsers: number;
  /** Of activeUsers, those whose setup had completed (set by the engine part, beside activeUsers). */
  loopUsers?: number;
  iterations: number;
  droppedIterations: number;
  endpoints: Record<string, EndpointWindowReport>;
  /** Checks counted in this window: label -> [passes, fails]. */
  checks?: Record<string, [number, number]>;
  /** Exceptions thrown by the scenario's code, by phase (setup, iteration, teardown). */
  scriptErrors?: Record<string, { count: number; sample: string }>;
  /** Endpoints first called during a user's setup in this window. */
  setupEndpoints?: string[];
  /** Sockets and messages, once the part has tried to open a socket. */
  ws?: SocketWindowReport;
  /** Setups tried and teardowns run in this window (with iterations: every run of the script's code). */
  setups?: number;
  teardowns?: number;
  /** Custom counters, rates and gauges (`vu.metrics`). */
  metrics?: Record<string, WindowMetric>;
  /** The part's thread during the window (absent when health sampling is off). */
  health?: ThreadHealthReport;
}

export interface EndpointWindowReport {
  count: number;
  errors: number;
  bytes: number;
  statusCounts: Record<string, number>;
  failures: Record<string, { count: number; sample: string }>;
  histogram: string;
  /** Absent for HTTP. */
  kind?: 'ws' | 'custom';
  /** A custom trend's unit when it is not ms. */
  unit?: string;
  /** Body bytes after decoding, of the responses a request asked to decompress; absent when none did. */
  decodedBytes?: number;
}

/**
 * One custom trend of a part, as `vu.time` and `vu.record` hold it: found once per call by name,
 * then recorded into without another lookup.
 */
export interface TrendSeries {
  /** `ms`, or the unit options.metrics declares. */
  readonly unit: string;
  /** The unit is ms: a latency (decided once, not by a string compare per sample). */
  readonly inMs: boolean;
  /** A sample: `value` in the trend's unit. */
  record(value: number): void;
  /** A failure of kind `kind`, with the time it waited (ms) when that is kept as a sample. */
  fail(kind: string, message: string, value?: number): void;
}

class EndpointWindow implements TrendSeries {
  readonly histogram: Histogram;
  count = 0;
  errors = 0;
  bytes = 0;
  decodedBytes: number | undefined;
  statusCounts = new Map<number, number>();
  failures = new Map<string, { count: number; sample: string }>();
  readonly inMs: boolean;

  constructor(
    readonly kind: EndpointKind,
    readonly unit = 'ms',
  ) {
    this.histogram = createHistogramFor(unit);
    this.inMs = unit === 'ms';
  }

  record(value: number): void {
    this.count++;
    // Latencies (ms) as µs, at least 1; another unit as its thousandths, 0 included.
    if (this.inMs) recordMicros(this.histogram, value * 1000);
    else recordThousandths(this.histogram, value * 1000);
  }

  fail(kind: string, message: string, value?: number): void {
    if (value === undefined) this.count++;
    else this.record(value);
    this.addFailure(kind, message);
  }

  /** One more error of `kind`; the message keeps its first occurrence. */
  addFailure(kind: string, message: string): void {
    this.errors++;
    const f = this.failures.get(kind);
    if (f === undefined) this.failures.set(kind, { count: 1, sample: message.slice(0, 300) });
    else f.count++;
  }

  reset(): void {
    this.histogram.reset();
    this.count = 0;
    this.errors = 0;
    this.bytes = 0;
    this.decodedBytes = undefined;
    this.statusCounts.clear();
    this.failures.clear();
  }
}

/**
 * Records every response into per-endpoint HdrHistograms of the current window; nothing is kept
 * per request. `flush()` encodes the window and reuses the histograms, so memory stays flat.
 */
export class WindowRecorder {
  /** The part's sockets (CCU) and message counts. */
  readonly sockets = new SocketCounters();
  /** What every name stands for: a custom metric's name is no endpoint's or check's. */
  readonly names: MetricNames;
  /** The part's custom counters, rates and gauges. */
  readonly custom: CustomMetrics;
  /** The series of the tag sets custom metrics are recorded with. */
  readonly tags: MetricTags;
  private readonly windows = new Map<string, EndpointWindow>();
  private iterations = 0;
  private setups = 0;
  private teardowns = 0;
  private dropped = 0;
  private readonly checks = new Map<string, [number, number]>();
  private readonly scriptErrors = new Map<string, { count: number; sample: string }>();
  private readonly setupSeen = new Set<string>();
  private setupNew: string[] = [];

  constructor(declared?: MetricDeclarations) {
    this.names = new MetricNames(declared);
    this.custom = new CustomMetrics(this.names);
    this.tags = new MetricTags(this.names);
  }

  private window(endpoint: string, kind: EndpointKind = 'http'): EndpointWindow {
    let w = this.windows.get(endpoint);
    if (w === undefined) {
      const custom = kind === 'custom';
      this.names.claim(endpoint, custom ? 'trend' : kind);
      w = new EndpointWindow(kind, custom ? this.names.unitOf(endpoint) : 'ms');
      this.windows.set(endpoint, w);
    } else if (w.kind !== kind) {
      // The only way here: a custom trend's name used by a request or socket, or the reverse.
      this.names.claim(endpoint, kind === 'custom' ? 'trend' : kind);
    }
    return w;
  }

  /** The custom trend `name` (created at its first use, in ms unless declared otherwise). */
  trend(name: string): TrendSeries {
    return this.window(name, 'custom');
  }

  /** A response arrived (any status). `failureKind` is set when it counts as an error. */
  recordResponse(
    endpoint: string,
    status: number,
    micros: number,
    bytes: number,
    failureKind?: string,
    failureMessage?: string,
  ): void {
    const w = this.window(endpoint);
    w.count++;
    w.bytes += bytes;
    recordMicros(w.histogram, micros);
    w.statusCounts.set(status, (w.statusCounts.get(status) ?? 0) + 1);
    if (failureKind !== undefined) w.addFailure(failureKind, failureMessage ?? failureKind);
  }

  /**
   * No response (connection refused, reset, timeout...): counted as status "0", with the time it
   * waited only when that is a measurement (a timeout; see keepsLatency in engine/http-client.ts).
   */
  recordTransportError(endpoint: string, micros: number | undefined, kind: string, message: string): void {
    const w = this.window(endpoint);
    w.count++;
    if (micros !== undefined) recordMicros(w.histogram, micros);
    w.statusCounts.set(0, (w.statusCounts.get(0) ?? 0) + 1);
    w.addFailure(kind, message);
  }

  /** A response's body decoded (`decompress`): its bytes after decoding; recordResponse has its wire bytes. */
  recordDecodedBytes(endpoint: string, bytes: number): void {
    const w = this.window(endpoint);
    w.decodedBytes = (w.decodedBytes ?? 0) + bytes;
  }

  /** A socket measurement (handshake, request→reply, push delay) under a `ws` endpoint. */
  recordWs(endpoint: string, micros: number): void {
    const w = this.window(endpoint, 'ws');
    w.count++;
    recordMicros(w.histogram, micros);
  }

  /**
   * A socket wait or handshake that failed (`ws_timeout`, `ws_closed`...). Only a timeout keeps
   * the time it waited (`micros`), as an HTTP timeout does, so a run whose replies time out shows
   * it in the percentiles: a request's `ws_timeout` and a handshake's `timeout`. A socket that
   * closed (`ws_closed`, like an HTTP reset), a push that never came and a refused handshake have
   * no latency.
   */
  recordWsFailure(endpoint: string, kind: string, message: string, micros?: number): void {
    const w = this.window(endpoint, 'ws');
    w.count++;
    if (micros !== undefined) recordMicros(w.histogram, micros);
    w.addFailure(kind, message);
  }

  /** `endpoint` was called from a user's setup (reported once, so tables can mark it as setup). */
  markSetup(endpoint: string): void {
    if (this.setupSeen.has(endpoint)) return;
    this.setupSeen.add(endpoint);
    this.setupNew.push(endpoint);
  }

  recordCheck(label: string, passed: boolean): void {
    let c = this.checks.get(label);
    if (c === undefined) {
      this.names.claim(label, 'check');
      c = [0, 0];
      this.checks.set(label, c);
    }
    c[passed ? 0 : 1]++;
  }

  /** The scenario's code threw in `phase`; the message keeps its first occurrence. */
  recordScriptError(phase: string, message: string): void {
    const e = this.scriptErrors.get(phase);
    if (e === undefined) this.scriptErrors.set(phase, { count: 1, sample: message.slice(0, 300) });
    else e.count++;
  }

  recordIteration(): void {
    this.iterations++;
  }

  recordSetupAttempt(): void {
    this.setups++;
  }

  recordTeardown(): void {
    this.teardowns++;
  }

  recordDropped(): void {
    this.dropped++;
  }

  /** `connectedAtEnd`: the sockets open at the window's end, when they have been closed since (the run's end). */
  flush(index: number, activeUsers: number, connectedAtEnd?: number): WindowReport {
    const endpoints: Record<string, EndpointWindowReport> = {};
    for (const [name, w] of this.windows) {
      if (w.count === 0) continue;
      endpoints[name] = {
        count: w.count,
        errors: w.errors,
        bytes: w.bytes,
        statusCounts: Object.fromEntries([...w.statusCounts].map(([s, c]) => [String(s), c])),
        failures: Object.fromEntries(w.failures),
        histogram: encodeHistogram(w.histogram),
        ...(w.kind === 'http' ? {} : { kind: w.kind }),
        ...(w.unit === 'ms' ? {} : { unit: w.unit }),
        ...(w.decodedBytes === undefined ? {} : { decodedBytes: w.decodedBytes }),
      };
      w.reset();
    }
    const report: WindowReport = {
      index,
      activeUsers,
      iterations: this.iterations,
      droppedIterations: this.dropped,
      endpoints,
    };
    if (this.checks.size > 0) {
      report.checks = Object.fromEntries(this.checks);
      this.checks.clear();
    }
    if (this.scriptErrors.size > 0) {
      report.scriptErrors = Object.fromEntries(this.scriptErrors);
      this.scriptErrors.clear();
    }
    if (this.setupNew.length > 0) {
      report.setupEndpoints = this.setupNew;
      this.setupNew = [];
    }
    const ws = this.sockets.flush(connectedAtEnd);
    if (ws !== undefined) report.ws = ws;
    const metrics = this.custom.flush();
    if (metrics !== undefined) report.metrics = metrics;
    if (this.setups > 0) report.setups = this.setups;
    if (this.teardowns > 0) report.teardowns = this.teardowns;
    this.setups = 0;
    this.teardowns = 0;
    this.iterations = 0;
    this.dropped = 0;
    return report;
  }
}
