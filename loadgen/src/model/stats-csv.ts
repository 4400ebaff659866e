import type { CustomMetric } from './custom-metric-schema.js';
import { neverTimed } from './never-timed.js';
import type { EndpointStats, LatencyStats, Totals } from './summary-schema.js';

/**
 * The columns of stats.csv, in their fixed order (loadgen/README.md "Output" documents it). New
 * columns go at the end, so a script that reads columns by position keeps working.
 */
export const STATS_CSV_COLUMNS = [
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
  // Added with sockets: `ws` rows are socket figures (handshake, request→reply, push delay) that
  // the Aggregated row, HTTP's, leaves out.
  'kind',
  // Added with decompression: body bytes after decoding, empty for an endpoint that decoded none.
  'decoded_bytes',
  // Added with custom metrics: a trend's unit (`ms` unless options.metrics declares another; the
  // latency columns then hold that unit), and the one figure of a counter (its total), a rate
  // (its share of true, 0..1) or a gauge (its last value), whose rows leave the others empty.
  'unit',
  'value',
] as const;

/** Latency fields by name, not by the order of an object's keys (a parsed file's order is the file's). */
const LATENCY: ReadonlyArray<keyof LatencyStats> = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'];

const cell = (v: string | number): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const row = (
  name: string,
  requests: number,
  errors: number,
  rps: number,
  bytes: number,
  latency: LatencyStats,
  kind: NonNullable<EndpointStats['kind']> | 'http',
  decodedBytes: number | undefined,
  unit: string,
  untimed: boolean,
): Array<string | number> => [
  name,
  requests,
  errors,
  requests === 0 ? 0 : Number((errors / requests).toFixed(6)),
  rps,
  bytes,
  // Counted but never timed (all-zero stats: every request failed without a response): absent.
  ...LATENCY.map((k) => (untimed ? '' : latency[k])),
  kind,
  decodedBytes ?? '',
  unit,
  '',
];

/** A custom counter, rate or gauge: its one figure in `value`, what else applies in its columns. */
const metricRow = (m: CustomMetric): Array<string | number> => {
  const empty = LATENCY.map(() => '');
  if (m.type === 'counter') return [m.name, m.count, '', '', m.rps, '', ...empty, m.type, '', '', m.count];
  if (m.type === 'rate') {
    const n = m.passes + m.fails;
    const failRate = n === 0 ? 0 : Number((m.fails / n).toFixed(6));
    return [m.name, n, m.fails, failRate, '', '', ...empty, m.type, '', '', Number(m.rate.toFixed(6))];
  }
  return [m.name, '', '', '', '', '', ...empty, m.type, '', '', m.value];
};

/**
 * stats.csv: one row per endpoint (HTTP, socket figures, custom trends), an "Aggregated" row
 * (HTTP endpoints), like Locust's stats CSV, then one row per custom counter, rate and gauge.
 */
export function statsCsv(summary: {
  endpoints: EndpointStats[];
  totals: Totals;
  metrics?: CustomMetric[];
}): string {
  const rows = summary.endpoints.map((e) =>
    row(
      e.endpoint,
      e.count,
      e.errors,
      e.rps,
      e.bytes,
      e.latencyMs,
      e.kind ?? 'http',
      e.decodedBytes,
      e.unit ?? 'ms',
      neverTimed(e),
    ),
  );
  const t = summary.totals;
  rows.push(
    row(
      'Aggregated',
      t.requests,
      t.errors,
      t.rps,
      t.bytes,
      t.latencyMs,
      'http',
      undefined,
      'ms',
      t.latencyMs.max === 0,
    ),
  );
  for (const m of summary.metrics ?? []) rows.push(metricRow(m));
  return `${[[...STATS_CSV_COLUMNS], ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
