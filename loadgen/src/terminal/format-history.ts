import { figureUnit, type MetricId, type MetricUnit, metricSpec } from '../history/history-metrics.js';
import type { History, HistoryChangePoint, HistorySeries } from '../history/history-types.js';
import { fmt, fmtPercent } from '../model/number-format.js';
import { describeProvenance } from '../model/run-provenance.js';
import { textTable } from './text-table.js';

/** Runs listed per series in the terminal; `--json` and `--html` have them all. */
const RUNS_SHOWN = 10;

/** A figure in its unit: `52.3 ms`-style without the unit, a ratio as a percentage. */
export function figure(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return '-';
  if (unit === 'ratio') return `${fmt(value * 100, 2)}%`;
  return fmt(value, value < 10 ? 2 : 1);
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** `GET /api/users p50: 2.1 → 52.3 ms (+2,390%), p = 3e-12`; a custom trend's unit: `→ 7 players`. */
export function describeChange(c: HistoryChangePoint): string {
  const unit = figureUnit(c.metric, c.valueUnit);
  const name = metricSpec(c.metric).label.replace(/ ms$/, '');
  const suffix =
    unit === 'ms' ? ' ms' : unit === 'per_s' ? ' req/s' : unit === 'value' ? ` ${c.valueUnit}` : '';
  // Below 1e-15 the t distribution's tail is rounding: say so rather than print 0.
  const p = c.pValue < 1e-15 ? 'p < 1e-15' : `p = ${c.pValue.toExponential(0)}`;
  return `${c.endpoint} ${name}: ${figure(c.meanBefore, unit)} → ${figure(c.meanAfter, unit)}${suffix} (${fmtPercent(c.relativeChange)}), ${p}`;
}

function changeLine(c: HistoryChangePoint): string {
  const mark = c.failing ? 'FAIL ' : '     ';
  const verdict = `${c.verdict}${c.accepted ? ', accepted' : ''}`;
  const provenance = describeProvenance(c.provenance);
  return `  ${mark}${verdict.padEnd(12)} ${describeChange(c)}\n       from run ${c.runIndex + 1}: ${c.testid}, ${when(c.startedAt)}${provenance === '' ? '' : ` (${provenance})`}; ${c.runsSince} run(s) since`;
}

const TABLE_METRICS: readonly MetricId[] = ['p50', 'p95', 'p99', 'errorRatio', 'rps', 'serverMeanMs'];

function seriesBlock(s: HistorySeries): string {
  const out: string[] = [];
  const first = s.runs[0];
  const last = s.runs.at(-1);
  out.push(
    `${s.id}: ${s.runs.length} run(s)${first && last ? `, ${when(first.startedAt)} → ${when(last.startedAt)}` : ''}`,
  );
  const shown = s.runs.slice(-RUNS_SHOWN);
  const offset = s.runs.length - shown.length;
  out.push(
    textTable(
      ['#', 'started (UTC)', 'testid', 'thresholds', 'fault', 'provenance'],
      shown.map((r, i) => {
        const failed = r.thresholds.filter((t) => !t.passed).length;
        return [
          String(offset + i + 1),
          when(r.startedAt),
          r.testid,
          r.thresholds.length === 0 ? '-' : failed === 0 ? `${r.thresholds.length} pass` : `${failed} FAIL`,
          r.fault !== null && r.fault.delayMs > 0 ? `${r.fault.delayMs} ms ${r.fault.route}` : '-',
          describeProvenance(r.provenance) || '-',
        ];
      }),
      [1, 2, 3, 4, 5],
    ).replace(/^/gm, '  '),
  );
  if (offset > 0) out.push(`  (${offset} older run(s) not listed: --json or --html has them all)`);
  const endpoints = [...new Set(s.metrics.map((m) => m.endpoint))];
  // A figure no endpoint has (the server's, when loadgen could not read the target's) is left out.
  const columns = TABLE_METRICS.filter((id) => s.metrics.some((m) => m.metric === id));
  // A custom trend of another unit sits under `p95 ms` with its unit written out: `7 players`.
  const lastOf = (endpoint: string, metric: MetricId) => {
    const m = s.metrics.find((x) => x.endpoint === endpoint && x.metric === metric);
    if (m === undefined) return '-';
    const value = figure(m.values.at(-1), m.unit);
    return m.unit === 'value' && value !== '-' ? `${value} ${m.valueUnit}` : value;
  };
  out.push('');
  out.push(
    textTable(
      ['endpoint (last run)', ...columns.map((id) => metricSpec(id).label), 'change points'],
      endpoints.map((e) => [
        e,
        ...columns.map((id) => lastOf(e, id)),
        String(s.metrics.filter((m) => m.endpoint === e).reduce((n, m) => n + m.changePoints.length, 0)),
      ]),
    ).replace(/^/gm, '  '),
  );
  const changes = s.metrics
    .flatMap((m) => m.changePoints)
    .sort((a, b) => b.runIndex - a.runIndex || a.endpoint.localeCompare(b.endpoint));
  out.push('');
  out.push(
    changes.length === 0
      ? '  no change points'
      : `  change points, newest first:\n${changes.map(changeLine).join('\n')}`,
  );
  for (const note of s.notes) out.push(`  note: ${note}`);
  return out.join('\n');
}

/** The whole history for a terminal: per series its last runs, endpoints and change points. */
export function formatHistory(h: History): string {
  const runs = h.series.reduce((n, s) => n + s.runs.length, 0);
  if (runs === 0) {
    return `no run under ${h.dirs.join(', ')} (${h.files} summary.json file(s) read): runs write there with loadgen run -o <dir>/<testid>, or the lab's RESULTS_DIR\n`;
  }
  const st = h.settings;
  const head = [
    `history of ${runs} run(s) in ${h.series.length} series from ${h.dirs.join(', ')}`,
    `change points: p ≤ ${st.maxPValue}, change ≥ ${fmt(st.minRelativeChange * 100)}% and ≥ ${st.minAbsoluteChange.ms} ms (latency), ≥ ${fmt(st.minAbsoluteChange.ratio * 100, 2)} points (errors)` +
      `; --fail-on regression: ${st.gate.join(', ')} worse, from run ${st.holdRuns} after the change, within the last ${st.failWithin} runs`,
  ];
  const blocks = h.series.map(seriesBlock);
  const tail =
    h.failing.length === 0
      ? `no regression within the last ${st.failWithin} runs of a series`
      : `${h.failing.length} regression(s) within the last ${st.failWithin} runs (FAIL above); once understood: --accept ${[...new Set(h.failing.map((c) => c.testid))].join(' --accept ')}`;
  return `${[head.join('\n'), ...blocks, tail].join('\n\n')}\n`;
}
