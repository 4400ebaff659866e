/** The dashboard's own styles, over the report's (src/report/report-style.ts): one screen, live. */
export const DASHBOARD_CSS = `
header .meta { color: #d1d5db; font-size: 13px; }
header .note { color: #fde68a; font-size: 13px; margin-top: 4px; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-weight: 600; font-size: 13px; background: #374151; color: #f9fafb; margin-left: 8px; }
.pill.running { background: #15803d; } .pill.ended { background: #1d4ed8; } .pill.interrupted { background: #b45309; } .pill.lost { background: #b91c1c; }
#now { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; }
#now div { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
#now b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
#now span { color: var(--muted); font-size: 12px; }
#now div.bad { background: var(--bad); color: var(--badfg); }
#steer form { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; }
#steer label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
#steer input { font: inherit; width: 110px; padding: 4px 6px; border: 1px solid #d1d5db; border-radius: 4px; }
#steer button { font: inherit; padding: 5px 14px; border-radius: 4px; border: 1px solid #1d4ed8; background: #2563eb; color: #fff; cursor: pointer; }
#steer button#stop { border-color: #b91c1c; background: #dc2626; }
#steer button:disabled { opacity: .45; cursor: default; }
#steer-message { min-height: 1.4em; margin: 6px 0 0; }
#steer-message.error { color: var(--badfg); font-weight: 600; }
#ended { display: none; } body[data-phase=ended] #ended { display: block; }
#ended a, a.csv { font-weight: 600; }
.warn { background: var(--bad); color: var(--badfg); padding: 6px 10px; border-radius: 6px; font-weight: 600; display: none; }
.warn.on { display: block; }
tr.total td, tr.total th { border-top: 2px solid #d1d5db; font-weight: 600; }
td.pass { color: var(--goodfg); } td.fail { color: var(--badfg); font-weight: 600; }
#endpoint-charts .grid4 { grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); }
table.live th:first-child, table.live td:first-child { text-align: left; font-family: ui-monospace, monospace; font-size: 13px; }
`;
