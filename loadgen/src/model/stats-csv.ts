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
  kind: 'http' | 'ws',
  decodedBytes: number | undefined,
): Array<string | number> => [
  name,
  requests,
  errors,
  requests === 0 ? 0 : Number((errors / requests).toFixed(6)),
  rps,
  bytes,
  // Counted but never timed (all-zero stats: every request failed without a response): absent.
  ...LATENCY.map((k) => (latency.max === 0 ? '' : latency[k])),
  kind,
  decodedBytes ?? '',
];

/** stats.csv: one row per endpoint plus an "Aggregated" row (HTTP endpoints), like Locust's stats CSV. */
export function statsCsv(summary: { endpoints: EndpointStats[]; totals: Totals }): string {
  const rows = summary.endpoints.map((e) =>
    row(e.endpoint, e.count, e.errors, e.rps, e.bytes, e.latencyMs, e.kind ?? 'http', e.decodedBytes),
  );
  const t = summary.totals;
  rows.push(row('Aggregated', t.requests, t.errors, t.rps, t.bytes, t.latencyMs, 'http', undefined));
  return `${[[...STATS_CSV_COLUMNS], ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
