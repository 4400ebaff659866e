import type { ChartAssets } from '../report/chart-library.js';
import { esc, jsonForScript } from '../report/html-escape.js';
import { REPORT_CSS } from '../report/report-style.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_CSS } from './dashboard-style.js';
import type { LiveRunMeta } from './live-state.js';

/** What the page says of the process it shows: threads add up here; a segment is one share of a run. */
function scopeNote(meta: LiveRunMeta): string {
  const { index, count } = meta.segment;
  if (count > 1)
    return `This process runs segment ${index}/${count} of the run: the page shows this process only, and a change steers this process only (values are the whole run's, of which it runs its share; steer every segment's dashboard alike).`;
  return meta.threads > 1 ? `${meta.threads} threads: the page shows the whole process.` : '';
}

/**
 * The dashboard page: uPlot and the page's script inlined (no CDN, no build step: it works
 * offline), the run's meta in JSON; everything else comes from /api/state and /events.
 */
export function renderDashboardPage(meta: LiveRunMeta, assets: ChartAssets): string {
  const note = scopeNote(meta);
  const steer =
    meta.model === 'closed'
      ? `<label>users (whole run)<input id="users-input" type="number" min="0" step="1" inputmode="numeric"></label>
<label>spawn rate /s<input id="spawn-input" type="number" min="0" step="any"></label>`
      : '<label>rate (iterations/s, whole run)<input id="rate-input" type="number" min="0" step="any"></label>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>loadgen live: ${esc(meta.testid)}</title><link rel="icon" href="data:,">
<style>${assets.css}</style><style>${REPORT_CSS}</style><style>${DASHBOARD_CSS}</style></head>
<body data-phase="waiting" data-windows="0">
<header><h1>${esc(meta.testid)} <span class="pill" id="phase">connecting</span> <span class="pill" id="clock"></span></h1>
<p class="meta">${esc(meta.scenario)} (${esc(meta.label)}) → ${esc(meta.target)} · ${esc(meta.load)} · ${esc(meta.profile)} · ${esc(meta.durationSec)} s</p>
${note === '' ? '' : `<p class="note" id="scope">${esc(note)}</p>`}</header>
<main>
<section id="steer"><h2>Steer</h2><form id="steer-form" novalidate>${steer}
<button type="submit" id="apply">Apply</button><button type="button" id="stop">Stop the run</button></form>
<p class="muted">A change replaces what is left of the profile with a constant at the new value, from now to the end of the run. Stop ends the run as Ctrl-C does: the summary is written, marked interrupted.</p>
<p id="steer-message"></p></section>
<section id="ended"><h2>Run ended</h2><p id="ended-text"></p><p><a id="report-link" href="report" target="_blank">The run's HTML report</a> · <a class="csv" href="api/endpoints.csv">Endpoint table (CSV)</a></p></section>
<section><h2>Now</h2><p class="warn" id="saturated"></p><div id="now"></div></section>
<section id="charts"><h2>Over time</h2><div class="grid2">
<figure><figcaption>virtual users (and connected sockets)</figcaption><div class="chart" id="chart-users"></div></figure>
<figure><figcaption>requests and errors per second</figcaption><div class="chart" id="chart-rps"></div></figure>
<figure><figcaption>errors per second by kind</figcaption><div class="chart" id="chart-errors"></div></figure>
<figure><figcaption>latency p50 / p95 / p99, every HTTP endpoint together (ms)</figcaption><div class="chart" id="chart-latency"></div></figure>
<figure><figcaption>generator: busiest thread and process CPU (% of one core)</figcaption><div class="chart" id="chart-busy"></div></figure>
<figure><figcaption>generator: event-loop delay p99, worst thread (ms)</figcaption><div class="chart" id="chart-loop"></div></figure>
</div>
<div id="endpoint-charts"></div></section>
<section id="tables"><h2>Endpoints <a class="csv" href="api/endpoints.csv">CSV</a></h2><div id="endpoint-tables"></div><div id="metrics"></div></section>
<section><h2>Thresholds</h2><div id="thresholds"></div><h2>Checks</h2><div id="checks"></div><h2>Failures</h2><div id="failures"></div></section>
</main>
<script type="application/json" id="run-meta">${jsonForScript(meta)}</script>
<script>${assets.js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body></html>
`;
}
