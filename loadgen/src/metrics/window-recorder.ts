import { createHistogram, encodeHistogram, type Histogram, recordMicros } from './hdr-histograms.js';
import { SocketCounters, type SocketWindowReport } from './socket-counters.js';
import type { ThreadHealthReport } from './thread-health.js';

/** `http`: a request; `ws`: a socket's handshake, request→reply or push delay (see vu-ws.ts). */
export type EndpointKind = 'http' | 'ws';

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
  kind?: 'ws';
  /** Body bytes after decoding, of the responses a request asked to decompress; absent when none did. */
  decodedBytes?: number;
}

class EndpointWindow {
  readonly histogram: Histogram = createHistogram();
  count = 0;
  errors = 0;
  bytes = 0;
  decodedBytes: number | undefined;
  statusCounts = new Map<number, number>();
  failures = new Map<string, { count: number; sample: string }>();

  constructor(readonly kind: EndpointKind) {}

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
  private readonly windows = new Map<string, EndpointWindow>();
  private iterations = 0;
  private dropped = 0;
  private readonly checks = new Map<string, [number, number]>();
  private readonly scriptErrors = new Map<string, { count: number; sample: string }>();
  private readonly setupSeen = new Set<string>();
  private setupNew: string[] = [];

  private window(endpoint: string, kind: EndpointKind = 'http'): EndpointWindow {
    let w = this.windows.get(endpoint);
    if (w === undefined) {
      w = new EndpointWindow(kind);
      this.windows.set(endpoint, w);
    }
    return w;
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
    if (failureKind !== undefined) this.addFailure(w, failureKind, failureMessage ?? failureKind);
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
    this.addFailure(w, kind, message);
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
   * A socket wait or handshake that failed (`ws_timeout`, `ws_closed`...). A request's wait for
   * its reply records the time waited, as a request without a response does, so a run whose
   * replies time out shows it in the percentiles; a push that never came has no latency.
   */
  recordWsFailure(endpoint: string, kind: string, message: string, micros?: number): void {
    const w = this.window(endpoint, 'ws');
    w.count++;
    if (micros !== undefined) recordMicros(w.histogram, micros);
    this.addFailure(w, kind, message);
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

  recordDropped(): void {
    this.dropped++;
  }

  private addFailure(w: EndpointWindow, kind: string, message: string): void {
    w.errors++;
    const f = w.failures.get(kind);
    if (f === undefined) w.failures.set(kind, { count: 1, sample: message.slice(0, 300) });
    else f.count++;
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
        ...(w.kind === 'ws' ? { kind: 'ws' as const } : {}),
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
    this.iterations = 0;
    this.dropped = 0;
    return report;
  }
}
