import { relative, sep } from 'node:path';
import { figureLabel } from '../history/history-metrics.js';
import type { History, HistoryChangePoint, HistorySeries } from '../history/history-types.js';
import { fmt } from '../model/number-format.js';
import { describeProvenance } from '../model/run-provenance.js';
import { describeChange } from '../terminal/format-history.js';
import type { ChartAssets } from './chart-library.js';
import { HISTORY_CHART_SCRIPT } from './history-chart-script.js';
import { esc, jsonForScript } from './html-escape.js';
import { REPORT_CSS } from './report-style.js';

interface HistoryPageOptions {
  assets: ChartAssets;
  /** The directory the page is written to: links to the runs' summaries are relative to it. */
  pageDir: string;
  title?: string;
}

const HISTORY_CSS = `
td.left, th.left { text-align: left; }
tr.regression td { background: var(--bad); color: var(--badfg); }
tr.improvement td { background: var(--good); color: var(--goodfg); }
tr.accepted td { color: var(--muted); background: #fff; }
td.mono, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
details > summary { cursor: pointer; margin: 6px 0; }
.grid-history { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 10px; }
p.key span { display: inline-block; width: 18px; border-top: 2px dashed; margin: 0 4px 3px 10px; }
`;

/** A link from the page to a run's summary.json: relative, '/'-separated, each segment encoded. */
function href(pageDir: string, path: string): string {
  return relative(pageDir, path).split(sep).map(encodeURIComponent).join('/');
}

function changeRows(
  changes: readonly HistoryChangePoint[],
  runHref: (c: HistoryChangePoint) => string,
): string {
  if (changes.length === 0) return '<p class="muted">No change point in any series.</p>';
  const rows = changes.map((c) => {
    const cls = c.accepted ? 'accepted' : c.verdict === 'change' ? '' : c.verdict;
    const verdict = `${c.failing ? 'FAILS · ' : ''}${c.verdict}${c.accepted ? ' (accepted)' : ''}`;
    return `<tr class="${cls}"><td class="left">${esc(verdict)}</td><td class="left">${esc(c.series)}</td><td class="left mono">${esc(describeChange(c))}</td><td class="left"><a href="${esc(runHref(c))}">${esc(c.testid)}</a><small>run ${c.runIndex + 1}, ${esc(c.startedAt)}</small></td><td class="left">${esc(describeProvenance(c.provenance) || '-')}</td><td>${c.runsSince}</td></tr>`;
  });
  return `<table><thead><tr><th class="left">verdict</th><th class="left">series</th><th class="left">change</th><th class="left">first run after it</th><th class="left">provenance</th><th>runs since</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function runsTable(s: HistorySeries, links: readonly string[]): string {
  const rows = s.runs.map((r, i) => {
    const failed = r.thresholds.filter((t) => !t.passed).length;
    const thr =
      r.thresholds.length === 0 ? '-' : failed === 0 ? `${r.thresholds.length} passed` : `${failed} failed`;
    const fault = r.fault !== null && r.fault.delayMs > 0 ? `${r.fault.delayMs} ms on ${r.fault.route}` : '-';
    return `<tr><td>${i + 1}</td><td class="left">${esc(r.startedAt)}</td><td class="left"><a href="${esc(links[i])}">${esc(r.testid)}</a></td><td class="left">${esc(r.label)}</td><td class="left">${esc(thr)}</td><td class="left">${esc(fault)}</td><td class="left">${esc(describeProvenance(r.provenance) || '-')}</td></tr>`;
  });
  return `<details><summary>${s.runs.length} run(s), oldest first</summary><table><thead><tr><th>#</th><th class="left">started</th><th class="left">testid (summary)</th><th class="left">label</th><th class="left">thresholds</th><th class="left">fault</th><th class="left">provenance</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** The self-contained history page: the chart library, styles and data inlined; opens offline. */
export function renderHistoryPage(h: History, options: HistoryPageOptions): string {
  const links = h.series.map((s) => s.runs.map((r) => href(options.pageDir, r.path)));
  const linkOf = (c: HistoryChangePoint) => {
    const si = h.series.findIndex((s) => s.id === c.series);
    return links[si]?.[c.runIndex] ?? '';
  };
  const data = {
    series: h.series.map((s, si) => ({
      id: s.id,
      runs: s.runs.map((r, i) => ({ testid: r.testid, startedAt: r.startedAt, href: links[si]?.[i] })),
      charts: s.metrics.map((m, mi) => ({
        id: `chart-${si}-${mi}`,
        metric: figureLabel(m),
        unit: m.unit === 'value' ? m.valueUnit : m.unit,
        values: m.values,
        changes: m.changePoints.map((c) => ({
          runIndex: c.runIndex,
          verdict: c.verdict,
          accepted: c.accepted,
        })),
      })),
    })),
  };
  const sections = h.series.map((s, si) => {
    const endpoints = [...new Set(s.metrics.map((m) => m.endpoint))];
    const charts = endpoints
      .map((endpoint) => {
        const figures = s.metrics
          .map((m, mi) => ({ m, mi }))
          .filter(({ m }) => m.endpoint === endpoint)
          .map(
            ({ m, mi }) =>
              `<figure><figcaption>${esc(figureLabel(m))}${m.changePoints.length > 0 ? ` · ${m.changePoints.length} change point(s)` : ''}</figcaption><div class="chart" id="chart-${si}-${mi}"></div></figure>`,
          )
          .join('');
        return `<h3 class="mono">${esc(endpoint)}</h3><div class="grid-history">${figures}</div>`;
      })
      .join('\n');
    const notes = s.notes.map((n) => `<p class="muted">${esc(n)}</p>`).join('');
    return `<section class="series" id="series-${si}"><h2>${esc(s.id)}</h2>${runsTable(s, links[si] ?? [])}${notes}${charts}</section>`;
  });
  const runs = h.series.reduce((n, s) => n + s.runs.length, 0);
  const title = options.title ?? `Run history: ${runs} run(s) in ${h.series.length} series`;
  const st = h.settings;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${options.assets.css}</style><style>${REPORT_CSS}${HISTORY_CSS}</style></head>
<body>
<header><h1>${esc(title)}</h1><p>${esc(h.dirs.join(', '))} · generated ${esc(h.generatedAt)} · loadgen history</p></header>
<main>
<section id="changes"><h2>Change points, newest first</h2>
<p>${h.failing.length === 0 ? `No regression within the last ${st.failWithin} runs of a series.` : `<b>${h.failing.length} regression(s) within the last ${st.failWithin} runs</b> fail <code>--fail-on regression</code>.`}
<span class="muted">A change point: p ≤ ${esc(st.maxPValue)}, a change of at least ${esc(fmt(st.minRelativeChange * 100))}% and ${esc(st.minAbsoluteChange.ms)} ms (latency) or ${esc(fmt(st.minAbsoluteChange.ratio * 100, 2))} points (errors).</span></p>
${changeRows(h.changePoints, linkOf)}
<p class="key muted">On the charts, a dashed line before the first run after a change:<span style="border-color:#dc2626"></span>regression<span style="border-color:#16a34a"></span>improvement<span style="border-color:#6b7280"></span>change, or accepted. Click a run to open its summary.</p></section>
${sections.join('\n')}
</main>
<script type="application/json" id="history-data">${jsonForScript(data)}</script>
<script>${options.assets.js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${HISTORY_CHART_SCRIPT}</script>
</body></html>
`;
}
