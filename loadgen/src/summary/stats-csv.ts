import type { Summary } from './summary-schema.js';

const HEADER = [
  'endpoint',
  'requests',
  'errors',
  'error_rate',
  'rps',
  'bytes',
  'min_ms',
  'mean_ms',
  'p50_ms',
  'p90_ms',
  'p95_ms',
  'p99_ms',
  'p999_ms',
  'max_ms',
];

const cell = (v: string | number): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** stats.csv: one row per endpoint plus an "Aggregated" row, like Locust's stats CSV. */
export function statsCsv(summary: Summary): string {
  const rows = summary.endpoints.map((e) => [
    e.endpoint,
    e.count,
    e.errors,
    e.count === 0 ? 0 : Number((e.errors / e.count).toFixed(6)),
    e.rps,
    e.bytes,
    ...Object.values(e.latencyMs),
  ]);
  const t = summary.totals;
  rows.push([
    'Aggregated',
    t.requests,
    t.errors,
    Number(t.errorRate.toFixed(6)),
    t.rps,
    t.bytes,
    ...Object.values(t.latencyMs),
  ]);
  return `${[HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
