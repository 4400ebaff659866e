/** The page's stylesheet: one screen reads top to bottom, regressions in red, improvements in green. */
export const REPORT_CSS = `
:root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bad:#fee2e2; --badfg:#b91c1c; --good:#dcfce7; --goodfg:#15803d; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f9fafb; }
header { background: #111827; color: #f9fafb; padding: 16px 28px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: #d1d5db; }
main { padding: 8px 28px 40px; max-width: 1500px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 18px; margin: 16px 0; }
h2 { font-size: 16px; margin: 4px 0 10px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; vertical-align: top; }
th { font-weight: 600; background: #f3f4f6; }
th[scope=row], th[scope=rowgroup], td.run, table.failures th, table.endpoints th:nth-child(-n+2), td.sample, table.params td, table.failures td { text-align: left; }
th[scope=rowgroup] { background: #fff; white-space: nowrap; font-family: ui-monospace, monospace; font-size: 13px; }
tr.first td, tr.first th { border-top: 2px solid #d1d5db; }
td small { display: block; color: var(--muted); font-size: 11px; }
td.regressed, .regressed { background: var(--bad); color: var(--badfg); }
td.regressed small { color: var(--badfg); }
td.improved { background: var(--good); color: var(--goodfg); }
td.verdict.regressed { font-weight: 700; }
td.verdict.improved { background: var(--good); color: var(--goodfg); }
td.ok { color: var(--goodfg); }
td.incomparable { cursor: help; }
td.incomparable small { text-decoration: underline dotted; }
td.verdict.incomparable { color: var(--muted); }
.muted { color: var(--muted); }
td.sample { font-family: ui-monospace, monospace; font-size: 12px; max-width: 520px; overflow-wrap: anywhere; }
.chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.c0{background:#2563eb}.c1{background:#dc2626}.c2{background:#16a34a}.c3{background:#9333ea}.c4{background:#ea580c}.c5{background:#0891b2}.c6{background:#ca8a04}.c7{background:#db2777}
ul.glance { margin: 4px 0; padding-left: 20px; }
ul.glance li { margin: 3px 0; }
ul.glance li.bad { color: var(--badfg); font-weight: 600; }
ul.glance li.good { color: var(--goodfg); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
.grid4 { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 10px; }
.chart { min-height: 120px; }
figure { margin: 0; }
figcaption { font-weight: 600; font-size: 13px; margin-bottom: 2px; font-family: ui-monospace, monospace; }
p.headline { font-size: 15px; }
tr.knee td { background: #fef9c3; font-weight: 600; }
table.steps td.short { color: var(--badfg); font-weight: 600; }
dl.plan { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 8px 0; }
dl.plan dt { color: var(--muted); }
dl.plan dd { margin: 0; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; }
`;
