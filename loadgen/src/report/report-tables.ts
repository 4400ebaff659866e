import type {
  Comparison,
  EndpointComparison,
  MetricChange,
  MetricName,
} from '../compare/compare-summaries.js';
import { describeModel } from '../model/load-model-text.js';
import { neverTimed } from '../model/never-timed.js';
import { fmt, fmtPercent, fmtSigned } from '../model/number-format.js';
import { describeProvenance } from '../model/run-provenance.js';
import { steeringLabel } from '../model/steering-label.js';
import type { Summary } from '../model/summary-schema.js';
import { thresholdActual } from '../terminal/custom-tables.js';
import { esc } from './html-escape.js';

/**
 * A figure with its change from the first run underneath, the cell marked when the rule flags it.
 * `note`: why this run's deltas are not coloured (another call pattern), shown as the tooltip.
 */
function figureCell(
  text: string,
  change: MetricChange | undefined,
  unit: string,
  scale = 1,
  digits = 1,
  note?: string,
): string {
  if (change === undefined) return `<td>${esc(text)}</td>`;
  const flag = note === undefined ? change.flag : 'unchanged';
  const cls = note !== undefined ? ' class="incomparable"' : flag === 'unchanged' ? '' : ` class="${flag}"`;
  const rel = change.relative === null ? '' : ` · ${fmtPercent(change.relative)}`;
  const title =
    note !== undefined
      ? ` title="${esc(`not coloured: ${note}`)}"`
      : flag === 'unchanged'
        ? ''
        : ` title="${flag} (beyond the compare rule's tolerances)"`;
  if (change.delta === 0) return `<td>${esc(text)}<small>=</small></td>`;
  return `<td${cls}${title}>${esc(text)}<small>${esc(fmtSigned(change.delta * scale, digits))}${esc(unit)}${esc(rel)}</small></td>`;
}

/** A latency figure of what was counted but never timed (model/never-timed.ts): no data, not 0 ms. */
const NOT_TIMED_CELL =
  '<td class="muted" title="counted but never timed: every one failed without a response">-</td>';

const metricOf = (c: EndpointComparison | undefined, name: MetricName): MetricChange | undefined =>
  c?.metrics.find((m) => m.metric === name);

function model(s: Summary): string {
  return describeModel(s.run.model);
}

function thresholds(s: Summary): string {
  if (s.thresholds.length === 0) return '<td>none set</td>';
  const failed = s.thresholds.filter((t) => !t.passed);
  const text = `${s.thresholds.length - failed.length}/${s.thresholds.length} passed`;
  const list = failed
    .map(
      (t) =>
        // The figure as the terminal reads it: a ratio in %, a trend in its unit, or "no data".
        `<small>✗ ${esc(t.expr)} (${t.actual === null ? 'no data' : `was ${esc(thresholdActual(t, s))}`})</small>`,
    )
    .join('');
  return `<td class="${failed.length > 0 ? 'regressed' : 'ok'}">${esc(text)}${list}</td>`;
}

/**
 * One column per run; deltas against the first run. `comparisons[i]` compares run 0 with run i;
 * `notes[i]` says why run i's deltas are not coloured (it played another call pattern).
 */
export function summaryTable(
  summaries: readonly Summary[],
  comparisons: readonly (Comparison | undefined)[],
  notes: readonly (string | undefined)[] = [],
): string {
  const head = summaries
    .map((s, i) => `<th><span class="chip c${i % 8}"></span>${esc(s.run.testid)}</th>`)
    .join('');
  const row = (label: string, cells: string[]): string =>
    `<tr><th scope="row">${esc(label)}</th>${cells.join('')}</tr>`;
  const plain = (f: (s: Summary) => string): string[] => summaries.map((s) => `<td>${esc(f(s))}</td>`);
  // The run's latency when no request was timed (every one failed without a response) is no data.
  const untimed = (s: Summary): boolean =>
    neverTimed({ latencyMs: s.totals.latencyMs, count: s.totals.requests, errors: s.totals.errors });
  const figure = (
    name: MetricName,
    f: (s: Summary) => number,
    unit: string,
    scale = 1,
    digits = 1,
    latency = false,
  ): string[] =>
    summaries.map((s, i) =>
      latency && untimed(s)
        ? NOT_TIMED_CELL
        : figureCell(
            `${fmt(f(s) * scale, digits)}${unit}`,
            metricOf(comparisons[i]?.total, name),
            unit,
            scale,
            digits,
            notes[i],
          ),
    );
  const total = (f: (s: Summary) => number, unit: string, digits = 0): string[] =>
    summaries.map((s, i) => {
      const v = f(s);
      const base = f(summaries[0] as Summary);
      const change: MetricChange | undefined =
        i === 0
          ? undefined
          : {
              metric: 'rps',
              base,
              candidate: v,
              delta: v - base,
              relative: base === 0 ? null : (v - base) / base,
              flag: 'unchanged',
            };
      return figureCell(`${fmt(v, digits)}${unit}`, change, unit, 1, digits);
    });
  return `<table class="summary"><thead><tr><th></th>${head}</tr></thead><tbody>
${row(
  'scenario',
  plain((s) => `${s.run.scenario.label} (${s.run.scenario.name})`),
)}
${row('load model', plain(model))}
${row(
  'peak users',
  total((s) => s.totals.peakUsers, ''),
)}
${
  summaries.some((s) => s.totals.peakConnected !== undefined)
    ? `${row(
        'peak sockets (CCU)',
        total((s) => s.totals.peakConnected ?? 0, ''),
      )}
${row(
  'socket messages sent / received',
  plain((s) => {
    const m = s.ws?.messages ?? [];
    return `${m.reduce((n, x) => n + x.sent, 0)} / ${m.reduce((n, x) => n + x.received, 0)}`;
  }),
)}`
    : ''
}
${row(
  'duration',
  plain((s) => `${fmt(s.run.elapsedSec)} s${s.run.interrupted ? ' (interrupted)' : ''}`),
)}
${row(
  'requests',
  total((s) => s.totals.requests, ''),
)}
${row(
  'req/s',
  figure('rps', (s) => s.totals.rps, ''),
)}
${row(
  'p50',
  figure('p50', (s) => s.totals.latencyMs.p50, ' ms', 1, 1, true),
)}
${row(
  'p95',
  figure('p95', (s) => s.totals.latencyMs.p95, ' ms', 1, 1, true),
)}
${row(
  'p99',
  figure('p99', (s) => s.totals.latencyMs.p99, ' ms', 1, 1, true),
)}
${row(
  'max',
  total((s) => s.totals.latencyMs.max, ' ms', 1),
)}
${row(
  'errors',
  figure('errorRate', (s) => s.totals.errorRate, '%', 100, 2),
)}
${row('thresholds', summaries.map(thresholds))}
</tbody></table>`;
}

/** Where a regression's time went, from the target's own histogram, under the verdict. */
function where(c: EndpointComparison | undefined): string {
  const w = c?.server?.where;
  if (c === undefined || w === undefined || w === 'no change to place') return '';
  return c.verdict === 'regressed' || c.verdict === 'improved' ? `<small>${esc(w)}</small>` : '';
}

const VERDICT_TEXT: Record<string, string> = {
  regressed: 'regressed',
  improved: 'improved',
  unchanged: 'unchanged',
};

/** A block of rows per endpoint, one row per run, with deltas and the verdict against the first run. */
export function endpointTable(
  summaries: readonly Summary[],
  comparisons: readonly (Comparison | undefined)[],
  notes: readonly (string | undefined)[] = [],
): string {
  const endpoints = [...new Set(summaries.flatMap((s) => s.endpoints.map((e) => e.endpoint)))];
  const rows = endpoints.flatMap((name) =>
    summaries.map((s, i) => {
      const e = s.endpoints.find((x) => x.endpoint === name);
      const c = comparisons[i]?.endpoints.find((x) => x.endpoint === name);
      // A custom trend of another unit than ms: its figures are in that unit.
      const unit = summaries.flatMap((x) => x.endpoints).find((x) => x.endpoint === name)?.unit;
      const label = unit === undefined ? esc(name) : `${esc(name)} <small>(${esc(unit)})</small>`;
      const first = i === 0 ? `<th scope="rowgroup" rowspan="${summaries.length}">${label}</th>` : '';
      const run = `<td class="run"><span class="chip c${i % 8}"></span>${esc(s.run.testid)}</td>`;
      if (e === undefined)
        return `<tr class="${i === 0 ? 'first' : ''}">${first}${run}<td colspan="8" class="muted">not called</td></tr>`;
      const note = notes[i];
      const verdict =
        i === 0
          ? '<td class="muted">baseline</td>'
          : note !== undefined
            ? `<td class="verdict incomparable" title="${esc(`not coloured: ${note}`)}">not comparable<small>another call pattern</small></td>`
            : `<td class="verdict ${esc(c?.verdict ?? '')}">${esc(VERDICT_TEXT[c?.verdict ?? ''] ?? c?.verdict ?? '')}${where(c)}</td>`;
      const l = e.latencyMs;
      // Counted but never timed: its all-0 percentiles are no data, shown as such (no delta).
      const timed = !neverTimed(e);
      const suffix = unit === undefined ? ' ms' : ` ${unit}`;
      const latency = (v: number, metric: MetricName) =>
        timed ? figureCell(fmt(v), metricOf(c, metric), suffix, 1, 1, note) : NOT_TIMED_CELL;
      return `<tr class="${i === 0 ? 'first' : ''}" data-endpoint="${esc(name)}" data-run="${i}">${first}${run}<td>${esc(String(e.count))}</td>${[
        figureCell(fmt(e.rps), metricOf(c, 'rps'), '', 1, 1, note),
        latency(l.p50, 'p50'),
        latency(l.p95, 'p95'),
        latency(l.p99, 'p99'),
        timed ? `<td>${esc(fmt(l.max))}</td>` : NOT_TIMED_CELL,
        figureCell(
          `${fmt(e.count === 0 ? 0 : (e.errors / e.count) * 100, 2)}%`,
          metricOf(c, 'errorRate'),
          ' pts',
          100,
          2,
          note,
        ),
      ].join('')}${verdict}</tr>`;
    }),
  );
  return `<table class="endpoints"><thead><tr><th>endpoint</th><th>run</th><th>requests</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>vs first run</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

export function failuresTable(summaries: readonly Summary[]): string {
  const rows = summaries.flatMap((s, i) =>
    [...s.failures]
      .sort((a, b) => b.count - a.count)
      .map(
        (f) =>
          `<tr><td class="run"><span class="chip c${i % 8}"></span>${esc(s.run.testid)}</td><td>${esc(f.endpoint)}</td><td>${esc(f.kind)}</td><td>${esc(String(f.count))}</td><td class="sample">${esc(f.sample)}</td></tr>`,
      ),
  );
  if (rows.length === 0) return '<p class="muted">No failures in any run.</p>';
  return `<table class="failures"><thead><tr><th>run</th><th>endpoint</th><th>kind</th><th>count</th><th>sample message</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function fault(s: Summary): string {
  const f = s.run.fault;
  if (f === null) return 'not exposed by the target';
  return f.delayMs > 0 ? `${f.delayMs} ms on ${f.route} (${f.mode} mode)` : 'off';
}

/** The generator's health over the run, as one cell. */
function generatorHealth(s: Summary): string {
  const g = s.generator;
  if (g === undefined) return 'not measured';
  const figures = `busiest thread ${Math.round(g.maxBusy * 100)}%, event-loop delay p99 up to ${fmt(g.maxLoopP99Ms)} ms, CPU up to ${fmt(g.peakCpu, 2)} cores, RSS up to ${fmt(g.peakRssMb, 0)} MB`;
  return g.saturated
    ? `SATURATED from ${g.saturatedFromSec ?? 0} s (${g.saturatedWindows} windows): latencies include loadgen's own queueing; ${figures}`
    : figures;
}

/** Cells that mark what makes a run's figures suspect: an active fault, a saturated generator. */
const flagged = (label: string, s: Summary): boolean =>
  (label === 'active fault' && (s.run.fault?.delayMs ?? 0) > 0) ||
  (label === 'generator' && s.generator?.saturated === true);

export function parametersTable(summaries: readonly Summary[]): string {
  const fields: [string, (s: Summary) => string][] = [
    ['target', (s) => s.run.target],
    ['scenario', (s) => `${s.run.scenario.name} (label ${s.run.scenario.label})`],
    ['call pattern', (s) => s.run.callPattern],
    ['model', model],
    [
      'profile',
      (s) =>
        `${s.run.profile.type}: start ${s.run.profile.start}, ${s.run.profile.stages.map((st) => `${st.duration}s→${st.target}`).join(', ')}`,
    ],
    ['duration / measured', (s) => `${s.run.durationSec} s / ${fmt(s.run.elapsedSec)} s`],
    [
      'threads · segment · parts',
      (s) => `${s.run.threads} · ${s.run.segment.index}/${s.run.segment.count} · ${s.run.parts}`,
    ],
    ['thresholds', (s) => (s.run.thresholds.length === 0 ? 'none' : s.run.thresholds.join(', '))],
    ['started / ended', (s) => `${s.run.startedAt} / ${s.run.endedAt}`],
    ['dropped iterations', (s) => String(s.totals.droppedIterations)],
    ['generator', generatorHealth],
    [
      'steering',
      (s) =>
        s.timeline === undefined || s.timeline.length === 0
          ? 'none'
          : s.timeline.map((c) => `${c.t} s: ${steeringLabel(c)} (${c.source})`).join('; '),
    ],
    ['active fault', fault],
    ['loadgen', (s) => s.run.loadgenVersion],
    [
      'provenance',
      (s) =>
        `${describeProvenance(s.run.provenance) || '-'}${s.run.provenance?.host ? ` · host ${s.run.provenance.host}` : ''}`,
    ],
  ];
  const head = summaries
    .map((s, i) => `<th><span class="chip c${i % 8}"></span>${esc(s.run.testid)}</th>`)
    .join('');
  const rows = fields.map(
    ([label, f]) =>
      `<tr><th scope="row">${esc(label)}</th>${summaries.map((s) => `<td${flagged(label, s) ? ' class="regressed"' : ''}>${esc(f(s))}</td>`).join('')}</tr>`,
  );
  return `<table class="params"><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
