import { planCapacity } from '../capacity/capacity-plan.js';
import { type CompareRule, DEFAULT_COMPARE_RULE } from '../compare/compare-rule.js';
import { type Comparison, compareSummaries } from '../compare/compare-summaries.js';
import { comparability } from '../model/call-pattern.js';
import { fmt } from '../model/number-format.js';
import { steeringLabel } from '../model/steering-label.js';
import type { Summary } from '../model/summary-schema.js';
import { briefRegression } from '../terminal/format-comparison.js';
import { capacitySection } from './capacity-section.js';
import type { ChartAssets } from './chart-library.js';
import { CHART_SCRIPT } from './chart-script.js';
import { customMetricsTable } from './custom-metrics-table.js';
import { esc, jsonForScript } from './html-escape.js';
import {
  connectedSeries,
  generatorBusySeries,
  generatorLoopSeries,
  messagesSeries,
  metricSeries,
  p95Series,
  percentileCurves,
  rpsSeries,
  timelineMarks,
  usersSeries,
} from './report-series.js';
import { REPORT_CSS } from './report-style.js';
import { endpointTable, failuresTable, parametersTable, summaryTable } from './report-tables.js';

export interface ReportOptions {
  assets: ChartAssets;
  title?: string;
  /** ISO time printed in the header; defaults to now. */
  generatedAt?: string;
  rule?: CompareRule;
  /** p95 SLA for the capacity section, ms. */
  slaP95Ms?: number;
  /** Population for the capacity plan. */
  users?: number;
}

/** The "at a glance" list: what changed against the first run, in sentences. */
function glance(
  summaries: readonly Summary[],
  comparisons: readonly (Comparison | undefined)[],
  notes: readonly (string | undefined)[],
): string {
  const items: string[] = [];
  summaries.forEach((s, i) => {
    const errors = `${fmt(s.totals.errorRate * 100, 2)}% errors`;
    const head = `<span class="chip c${i % 8}"></span><b>${esc(s.run.testid)}</b>: ${esc(fmt(s.totals.rps))} req/s, p95 ${esc(fmt(s.totals.latencyMs.p95))} ms, ${esc(errors)}`;
    const failed = s.thresholds.filter((t) => !t.passed).length;
    const thr = failed > 0 ? `, <b>${failed} threshold(s) failed</b>` : '';
    const f = s.run.fault;
    const fault =
      f !== null && f.delayMs > 0 ? ` — fault ${esc(`${f.delayMs} ms on ${f.route} (${f.mode})`)}` : '';
    const saturated =
      s.generator?.saturated === true
        ? " — <b>generator saturated</b>: its latencies include loadgen's own queueing"
        : '';
    const steered =
      s.timeline === undefined || s.timeline.length === 0
        ? ''
        : ` — steered: ${s.timeline.map((c) => esc(`${steeringLabel(c)} at ${c.t} s`)).join(', ')}`;
    const c = comparisons[i];
    const regressed = c?.endpoints.filter((e) => e.verdict === 'regressed') ?? [];
    const compared = notes[i] === undefined;
    const cls =
      (compared && regressed.length > 0) || failed > 0 || saturated !== ''
        ? 'bad'
        : compared && c !== undefined && c.improved.length > 0
          ? 'good'
          : '';
    let vs = '';
    if (notes[i] !== undefined) {
      vs = `; not compared with ${esc(summaries[0]?.run.testid)}: another call pattern (${esc(s.run.callPattern)})`;
    } else if (c !== undefined) {
      vs =
        regressed.length === 0
          ? `; vs ${esc(summaries[0]?.run.testid)}: no endpoint regressed`
          : `; vs ${esc(summaries[0]?.run.testid)}: regressed ${regressed
              .slice(0, 3)
              .map((e) => esc(briefRegression(e)))
              .join('; ')}${regressed.length > 3 ? ` and ${regressed.length - 3} more` : ''}`;
    }
    items.push(`<li class="${cls}">${head}${thr}${fault}${saturated}${steered}${vs}</li>`);
  });
  return `<ul class="glance">${items.join('')}</ul>`;
}

/** Build the whole self-contained page: styles, chart library, data and tables in one string. */
export function renderReport(summaries: readonly Summary[], options: ReportOptions): string {
  const rule = options.rule ?? DEFAULT_COMPARE_RULE;
  const first = summaries[0];
  const comparisons = summaries.map((s, i) =>
    i === 0 || first === undefined ? undefined : compareSummaries(first, s, rule),
  );
  // Deltas are coloured only between runs of one call pattern (model/call-pattern.ts).
  const notes = summaries.map((s, i) => {
    const c = i === 0 || first === undefined ? undefined : comparability(first, s);
    return c === undefined || c.comparable ? undefined : c.reason;
  });
  const notesText = notes
    .filter((n): n is string => n !== undefined)
    .map((n) => `<p class="muted incomparable-note">Not coloured: ${esc(n)}.</p>`)
    .join('');
  const p95 = p95Series(summaries);
  const sockets = summaries.some((s) => s.totals.peakConnected !== undefined);
  const metrics = metricSeries(summaries);
  const health = summaries.some((s) => s.timeSeries.some((w) => w.generator !== undefined));
  const data = {
    rps: rpsSeries(summaries),
    users: usersSeries(summaries),
    percentiles: percentileCurves(summaries),
    p95,
    // Only when a run used sockets: a page without them keeps its two charts.
    ...(sockets ? { sockets: connectedSeries(summaries), messages: messagesSeries(summaries) } : {}),
    ...(metrics.length > 0 ? { metrics } : {}),
    // Only when a run measured its generator's health (summaries before it did not).
    ...(health ? { busy: generatorBusySeries(summaries), loop: generatorLoopSeries(summaries) } : {}),
    marks: timelineMarks(summaries),
  };
  const steps = summaries.filter((s) => s.run.profile.type === 'step');
  const capacity = steps
    .map((s) =>
      capacitySection(
        planCapacity(s, {
          ...(options.slaP95Ms !== undefined ? { slaP95Ms: options.slaP95Ms } : {}),
          ...(options.users !== undefined ? { users: options.users } : {}),
        }),
      ),
    )
    .join('\n');
  const title = options.title ?? `Load test report: ${summaries.map((s) => s.run.testid).join(' vs ')}`;
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${options.assets.css}</style><style>${REPORT_CSS}</style></head>
<body>
<header><h1>${esc(title)}</h1><p>${summaries.length} run(s), deltas against the first · generated ${esc(generatedAt)} · loadgen report</p></header>
<main>
<section id="glance"><h2>At a glance</h2>${glance(summaries, comparisons, notes)}</section>
<section id="summary"><h2>Summary</h2>${summaryTable(summaries, comparisons, notes)}${notesText}</section>
<section id="charts"><h2>Over time</h2><div class="grid2">
<figure><figcaption>requests per second</figcaption><div class="chart" id="chart-rps"></div></figure>
<figure><figcaption>active virtual users</figcaption><div class="chart" id="chart-users"></div></figure>
${sockets ? '<figure><figcaption>connected sockets (CCU)</figcaption><div class="chart" id="chart-sockets"></div></figure><figure><figcaption>socket messages per second (sent + received)</figcaption><div class="chart" id="chart-messages"></div></figure>' : ''}
${health ? '<figure><figcaption>generator: busiest thread (% of the window)</figcaption><div class="chart" id="chart-busy"></div></figure><figure><figcaption>generator: event-loop delay p99 (worst thread)</figcaption><div class="chart" id="chart-loop"></div></figure>' : ''}
</div>
<h3>Latency by percentile (whole run, log scale)</h3><div class="chart" id="chart-percentiles"></div>
<h3>p95 per endpoint over time</h3><p class="muted legend">${summaries.map((s, i) => `<span class="chip c${i % 8}"></span>${esc(s.run.testid)}`).join(' &nbsp; ')}</p><div class="grid4">
${p95.map((e, i) => `<figure><figcaption>${esc(e.endpoint)}${e.unit === undefined ? '' : ` (${esc(e.unit)})`}</figcaption><div class="chart" id="chart-p95-${i}"></div></figure>`).join('\n')}
</div></section>
${
  metrics.length === 0
    ? ''
    : `<section id="metrics"><h2>Custom metrics</h2>${customMetricsTable(summaries)}<div class="grid4">
${metrics.map((m, i) => `<figure><figcaption>${esc(m.name)} (${esc(m.type)})</figcaption><div class="chart" id="chart-metric-${i}"></div></figure>`).join('\n')}
</div></section>`
}
<section id="endpoints"><h2>Endpoints</h2>${endpointTable(summaries, comparisons, notes)}
<p class="muted">Marked cells changed by more than the compare rule's relative and absolute tolerances (p50 ${esc(fmt(rule.p50.relative * 100))}% and ${rule.p50.absoluteMs} ms, p95 ${esc(fmt(rule.p95.relative * 100))}% and ${rule.p95.absoluteMs} ms; at least ${rule.minSamples} requests, or ${rule.minSeparatedSamples} when the runs do not overlap at all). Only runs of the first run's call pattern are marked; another pattern's deltas are shown uncoloured.</p>${notesText}</section>
<section id="failures"><h2>Failures</h2>${failuresTable(summaries)}</section>
${capacity === '' ? '' : `<section id="capacity"><h2>Capacity</h2>${capacity}</section>`}
<section id="parameters"><h2>Run parameters</h2>${parametersTable(summaries)}</section>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${options.assets.js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}
