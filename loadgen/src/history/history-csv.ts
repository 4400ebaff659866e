import { type MetricId, worseWay } from './history-metrics.js';
import type { HistorySeries, MetricHistory } from './history-types.js';

/**
 * `loadgen history --csv <dir>`: one CSV file per series, in the form Apache Otava's CSV importer
 * reads (otava/importer.py, CsvImporter): a header row, a `time` column (ISO 8601, which Otava
 * parses with dateparser), attribute columns copied as text (`testid`, `commit`, `tags`,
 * `summary`), and one numeric column per endpoint and figure (`GET /api/users p95_ms`), plus
 * `thresholds_failed`. Otava converts every metric cell with float() and refuses an empty one, so a
 * run without an endpoint's figure gets the nearest earlier run's value (the first runs: the
 * nearest later one), which is what Otava's own fill_missing does for its other sources; the
 * `--json` output keeps those cells null. Beside the files, `otava.yaml` declares each series as an
 * Otava test with every metric and its direction (-1: lower is better).
 */

const COLUMN_SUFFIX: Record<MetricId, string> = {
  p50: 'p50_ms',
  p95: 'p95_ms',
  p99: 'p99_ms',
  errorRatio: 'error_ratio',
  rps: 'rps',
  serverMeanMs: 'server_mean_ms',
  serverErrorRatio: 'server_5xx_ratio',
};

/** `GET /api/users p95_ms`; a custom trend of another unit ends with its unit: `room size p95_players`. */
export const csvColumn = (m: Pick<MetricHistory, 'endpoint' | 'metric' | 'unit' | 'valueUnit'>): string =>
  m.unit === 'value'
    ? `${m.endpoint} ${m.metric}_${(m.valueUnit ?? 'value').replace(/[^A-Za-z0-9]+/g, '_')}`
    : `${m.endpoint} ${COLUMN_SUFFIX[m.metric]}`;

/** A file name for a series: `game-closed`, `loop-1a2b3c4d5e-open`. */
function seriesFileStem(series: Pick<HistorySeries, 'pattern' | 'model'>): string {
  const safe = series.pattern.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${safe || 'series'}-${series.model}`;
}

/** RFC 4180 quoting, as Python's csv module reads it: testids and tags are user input. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function number(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/** Forward fill, then back fill the leading gap (Otava's fill_missing). */
export function filled(values: readonly (number | null)[]): number[] {
  const out = [...values];
  let previous: number | null = null;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === null) out[i] = previous;
    previous = out[i] ?? null;
  }
  let next: number | null = null;
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === null) out[i] = next;
    next = out[i] ?? null;
  }
  return out.map((v) => v ?? 0);
}

export function seriesCsv(series: HistorySeries): string {
  const header = [
    'time',
    'testid',
    'commit',
    'tags',
    'summary',
    ...series.metrics.map(csvColumn),
    'thresholds_failed',
  ];
  const columns = series.metrics.map((m) => filled(m.values));
  const rows = series.runs.map((run, i) => {
    const tags = run.provenance?.tags ?? {};
    return [
      run.startedAt,
      run.testid,
      tags.commit ?? '',
      Object.entries(tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(';'),
      run.path,
      ...columns.map((c) => number(c[i] as number)),
      String(run.thresholds.filter((t) => !t.passed).length),
    ];
  });
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** Otava's direction of a figure: -1 lower is better, 1 higher is better (or not known). */
function direction(series: HistorySeries, m: MetricHistory): number {
  return worseWay(m.metric, m.kind, series.model, m.valueUnit) === 'up' ? -1 : 1;
}

/** One file stem per series, made unique with `-2`, `-3`... should two patterns read alike. */
export function seriesFileStems(series: readonly Pick<HistorySeries, 'pattern' | 'model'>[]): string[] {
  const used = new Set<string>();
  return series.map((s) => {
    const base = seriesFileStem(s);
    let stem = base;
    for (let n = 2; used.has(stem); n++) stem = `${base}-${n}`;
    used.add(stem);
    return stem;
  });
}

/** An Otava configuration naming each series' CSV file as a test (YAML; JSON strings are YAML). */
export function otavaConfig(series: readonly HistorySeries[], stems: readonly string[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    '# Apache Otava tests for the CSV files beside this file, written by `loadgen history --csv`.',
    "# Run Otava in this directory (file paths are relative). Units: each column's name ends with",
    "# its unit (_ms, _ratio, rps: per second; a custom trend's own unit, e.g. _players).",
    'tests:',
  ];
  for (const [i, s] of series.entries()) {
    const stem = stems[i] as string;
    lines.push(`  ${q(stem)}:`, '    type: csv', `    file: ${q(`${stem}.csv`)}`, '    time_column: time');
    lines.push('    attributes: [testid, commit, tags, summary]', '    metrics:');
    for (const m of s.metrics) {
      lines.push(
        `      ${q(csvColumn(m))}:`,
        `        column: ${q(csvColumn(m))}`,
        `        direction: ${direction(s, m)}`,
      );
    }
    lines.push(
      `      ${q('thresholds_failed')}:`,
      `        column: ${q('thresholds_failed')}`,
      '        direction: -1',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Every file `--csv` writes, by name. */
export function historyCsvFiles(series: readonly HistorySeries[]): { name: string; content: string }[] {
  const stems = seriesFileStems(series);
  return [
    ...series.map((s, i) => ({ name: `${stems[i]}.csv`, content: seriesCsv(s) })),
    { name: 'otava.yaml', content: otavaConfig(series, stems) },
  ];
}
