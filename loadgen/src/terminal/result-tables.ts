import { fmt } from '../model/number-format.js';
import type { LatencyStats, SocketStats, Summary } from '../model/summary-schema.js';
import {
  MEASUREMENT_HEADER,
  METRIC_HEADER,
  measurementRows,
  metricRows,
  scriptErrorLine,
  thresholdActual,
} from './custom-tables.js';

/** Figures right-aligned, names and words (the `left` columns) left-aligned. */
function table(header: string[], rows: string[][], left: readonly number[] = [0]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const ms = (v: number) => v.toFixed(1);
/**
 * An endpoint counted but never timed (every request failed without a response, every wait of a
 * push type failed) has all-zero latency stats: its percentiles are shown as absent, not as 0.
 */
const latencyCells = (l: LatencyStats | undefined, fields: ReadonlyArray<keyof LatencyStats>): string[] =>
  fields.map((f) => (l === undefined || l.max === 0 ? '-' : ms(l[f])));
const P50_TO_MAX = ['p50', 'p95', 'p99', 'max'] as const;

/** One line of the endpoint table: an endpoint's, or the run's total. */
const resultRow = (
  name: string,
  requests: number,
  errors: number,
  rps: number,
  l: LatencyStats,
): string[] => [name, String(requests), String(errors), rps.toFixed(1), ...latencyCells(l, P50_TO_MAX)];

/**
 * Sockets: one row per message type and per `ws` figure (the handshake, request→reply times, push
 * delays), with what was sent, received and dropped, and the run's connected peak.
 */
function socketTable(summary: Summary): string | undefined {
  const ws = summary.ws;
  if (ws === undefined) return undefined;
  const measured = new Map(summary.endpoints.filter((e) => e.kind === 'ws').map((e) => [e.endpoint, e]));
  const messages = new Map(
    ws.messages.map((m) => [`${m.protocol === 'socket.io' ? 'sio' : 'ws'} ${m.type}`, m]),
  );
  const names = [...new Set([...measured.keys(), ...messages.keys()])].sort((a, b) => a.localeCompare(b));
  const dash = '-';
  const rows = names.map((name) => {
    const e = measured.get(name);
    const m = messages.get(name);
    const l = e?.latencyMs;
    return [
      e?.setup === true ? `${name} (setup)` : name,
      m === undefined ? dash : String(m.sent),
      m === undefined ? dash : String(m.received),
      m === undefined || m.dropped === 0 ? dash : String(m.dropped),
      e === undefined ? dash : String(e.count),
      e === undefined ? dash : String(e.errors),
      ...latencyCells(l, P50_TO_MAX),
    ];
  });
  const closes = Object.entries(ws.closeCodes)
    .map(([code, n]) => `${code} x${n}`)
    .join(', ');
  const reconnects = ws.reconnects === undefined ? '' : ` (${ws.reconnects} reconnections)`;
  return `sockets: peak ${summary.totals.peakConnected ?? 0} connected, ${ws.connects} opened${reconnects}${closes === '' ? '' : `, closed ${closes}`}\n${bytesLine(ws)}${table(
    ['socket', 'sent', 'received', 'dropped', 'measured', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    rows,
  )}`;
}

const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;

/** Payload bytes over every message, and what the connections carried (after compression). */
function bytesLine(ws: SocketStats): string {
  if (ws.wireBytes === undefined) return ''; // a summary older than byte counts
  const sent = ws.messages.reduce((n, m) => n + (m.sentBytes ?? 0), 0);
  const received = ws.messages.reduce((n, m) => n + (m.receivedBytes ?? 0), 0);
  const wire = `on the wire ${kb(ws.wireBytes.sent)} / ${kb(ws.wireBytes.received)}`;
  return `bytes sent / received: payload ${kb(sent)} / ${kb(received)}; ${wire}\n`;
}

/** The end-of-run tables: endpoints, sockets, failures and thresholds, as plain text. */
export function formatResults(summary: Summary): string {
  const parts: string[] = [];
  const rows = summary.endpoints
    .filter((e) => e.kind === undefined)
    .map((e) =>
      resultRow(
        e.setup === true ? `${e.endpoint} (setup)` : e.endpoint,
        e.count,
        e.errors,
        e.rps,
        e.latencyMs,
      ),
    );
  const t = summary.totals;
  rows.push(resultRow('Total', t.requests, t.errors, t.rps, t.latencyMs));
  // A game driven only through its SDK made no HTTP request: its table would be an empty total.
  const measuredOnly = rows.length === 1 && summary.endpoints.some((e) => e.kind !== undefined);
  if (!measuredOnly) {
    parts.push(
      table(['endpoint', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], rows),
    );
  }
  const sockets = socketTable(summary);
  if (sockets !== undefined) parts.push(sockets);
  const measured = measurementRows(summary);
  if (measured.length > 0) parts.push(table(MEASUREMENT_HEADER, measured, [0, 7]));
  const metrics = metricRows(summary);
  if (metrics.length > 0) parts.push(table(METRIC_HEADER, metrics, [0, 1, 3]));
  if (t.droppedIterations > 0) parts.push(`dropped iterations: ${t.droppedIterations}`);
  if (summary.checks !== undefined && summary.checks.length > 0) {
    parts.push(
      `checks:\n${table(
        ['check', 'passes', 'fails', 'passed'],
        summary.checks.map((c) => [
          c.label,
          String(c.passes),
          String(c.fails),
          `${((c.passes / Math.max(1, c.passes + c.fails)) * 100).toFixed(2)}%`,
        ]),
      )}`,
    );
  }
  const scriptErrors = scriptErrorLine(summary);
  if (scriptErrors !== undefined) parts.push(scriptErrors);
  if (summary.failures.length > 0) {
    parts.push(
      `failures:\n${table(
        ['endpoint', 'kind', 'count', 'sample'],
        summary.failures.map((f) => [f.endpoint, f.kind, String(f.count), f.sample.slice(0, 80)]),
      )}`,
    );
  }
  if (summary.thresholds.length > 0) {
    // Why a threshold has no figure (or cannot judge what its name is) goes after its result.
    const why = summary.thresholds.some((r) => r.reason !== undefined);
    parts.push(
      `thresholds:\n${table(
        ['threshold', 'actual', 'result', ...(why ? ['why'] : [])],
        summary.thresholds.map((r) => [
          r.expr,
          thresholdActual(r, summary),
          r.passed ? 'pass' : r.aborted === true ? 'FAIL (aborted the run)' : 'FAIL',
          ...(why ? [r.reason ?? ''] : []),
        ]),
        [0, 2, 3],
      )}`,
    );
  }
  const generator = generatorLines(summary);
  if (generator !== undefined) parts.push(generator);
  const ungated = ungatedEndpoints(summary);
  if (ungated.length > 0) {
    parts.push(
      `not gated on latency (measured, not judged):\n${table(
        ['endpoint', 'p95 ms', 'p99 ms'],
        ungated.map((e) => [e.endpoint, ...latencyCells(e.latencyMs, ['p95', 'p99'])]),
      )}`,
    );
  }
  if (summary.run.tls?.insecure === true) {
    parts.push('WARNING: --insecure: no TLS certificate was verified in this run (a test target only).');
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * The generator's own health over the run, and the warning when it saturated: its latencies then
 * include loadgen's own queueing, which a reader of the tables must not take for the server's.
 */
function generatorLines(summary: Summary): string | undefined {
  const g = summary.generator;
  if (g === undefined) return undefined;
  const line = `generator: busiest thread ${Math.round(g.maxBusy * 100)}%, event-loop delay p99 up to ${ms(g.maxLoopP99Ms)} ms, CPU up to ${g.peakCpu.toFixed(2)} cores, RSS up to ${Math.round(g.peakRssMb)} MB`;
  if (!g.saturated) return line;
  return `${line}
WARNING: the generator saturated from ${g.saturatedFromSec ?? 0} s (${g.saturatedWindows} windows with a thread ≥ ${Math.round(g.rule.busy * 100)}% busy or event-loop delay p99 ≥ ${g.rule.loopP99Ms} ms, ${g.rule.windows}+ in a row): these latencies include loadgen's own queueing. Use more --threads, more machines (--segment), or fewer users per process.`;
}

const LATENCY_METRICS = new Set(['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max']);

/**
 * When the latency thresholds name endpoints (the presets gate on gameplay endpoints, not on
 * registration and login, which queue behind bcrypt on a small machine), the endpoints none of
 * them covers: their figures are findings to read, so they are printed rather than lost.
 */
function ungatedEndpoints(summary: Summary): Summary['endpoints'] {
  const gated = new Set(
    summary.thresholds.filter((r) => LATENCY_METRICS.has(r.metric)).map((r) => r.endpoint),
  );
  if (gated.size === 0 || gated.has(null)) return [];
  // A custom trend of another unit is no latency.
  return summary.endpoints.filter((e) => !gated.has(e.endpoint) && e.unit === undefined);
}
