import type { Summary } from '../summary/summary-schema.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const ms = (v: number) => v.toFixed(1);

/** The end-of-run tables: endpoints, failures and thresholds, as plain text. */
export function formatResults(summary: Summary): string {
  const parts: string[] = [];
  const rows = summary.endpoints.map((e) => [
    e.setup === true ? `${e.endpoint} (setup)` : e.endpoint,
    String(e.count),
    String(e.errors),
    e.rps.toFixed(1),
    ms(e.latencyMs.p50),
    ms(e.latencyMs.p95),
    ms(e.latencyMs.p99),
    ms(e.latencyMs.max),
  ]);
  const t = summary.totals;
  rows.push([
    'Total',
    String(t.requests),
    String(t.errors),
    t.rps.toFixed(1),
    ms(t.latencyMs.p50),
    ms(t.latencyMs.p95),
    ms(t.latencyMs.p99),
    ms(t.latencyMs.max),
  ]);
  parts.push(
    table(['endpoint', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], rows),
  );
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
  if (summary.failures.length > 0) {
    parts.push(
      `failures:\n${table(
        ['endpoint', 'kind', 'count', 'sample'],
        summary.failures.map((f) => [f.endpoint, f.kind, String(f.count), f.sample.slice(0, 80)]),
      )}`,
    );
  }
  if (summary.thresholds.length > 0) {
    parts.push(
      `thresholds:\n${table(
        ['threshold', 'actual', 'result'],
        summary.thresholds.map((r) => [
          r.expr,
          r.metric === 'errors'
            ? `${(r.actual * 100).toFixed(2)}%`
            : String(Math.round(r.actual * 1000) / 1000),
          r.passed ? 'pass' : 'FAIL',
        ]),
      )}`,
    );
  }
  const ungated = ungatedEndpoints(summary);
  if (ungated.length > 0) {
    parts.push(
      `not gated on latency (measured, not judged):\n${table(
        ['endpoint', 'p95 ms', 'p99 ms'],
        ungated.map((e) => [e.endpoint, ms(e.latencyMs.p95), ms(e.latencyMs.p99)]),
      )}`,
    );
  }
  return `${parts.join('\n\n')}\n`;
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
  return summary.endpoints.filter((e) => !gated.has(e.endpoint));
}
