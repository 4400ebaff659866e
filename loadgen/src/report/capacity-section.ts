import { type CapacityReport, stepUsers } from '../capacity/capacity-plan.js';
import { describeNeed } from '../capacity/resource-needs.js';
import { fmt } from '../model/number-format.js';
import { esc } from './html-escape.js';

const int = (v: number): string => Math.ceil(v).toLocaleString('en-US');

/** The step table, knee and plan of one step run, as `loadgen capacity` prints them. */
export function capacitySection(r: CapacityReport): string {
  const o = r.options;
  const rows = r.steps
    .map((s, i) => {
      const cls = i === r.knee ? 'knee' : i === r.breach ? 'regressed' : '';
      const note = [
        i === r.knee ? 'knee' : i === r.breach ? (r.breachReason ?? '') : '',
        r.unreached.includes(i) ? 'setup could not keep up' : '',
        s.saturatedWindows > 0 ? 'generator saturated' : '',
      ]
        .filter((v) => v !== '')
        .join('; ');
      const playing = s.loopUsers === null ? '—' : String(s.loopUsers);
      return `<tr class="${cls}"><td>${s.users}</td><td${r.unreached.includes(i) ? ' class="short"' : ''}>${playing}</td><td>${s.requests}</td><td>${s.failures}</td><td>${esc(fmt(s.failureRate * 100, 2))}%</td><td>${esc(fmt(s.meanMs))}</td><td>${esc(fmt(s.p95Ms))}</td><td>${esc(fmt(s.rps))}</td><td>${esc(note)}</td></tr>`;
    })
    .join('\n');
  const knee = r.knee === null ? undefined : r.steps[r.knee];
  const p = r.plan;
  const plan =
    knee === undefined || p === null
      ? `<p class="regressed">No knee: the first step already breaks the SLA (${esc(r.breachReason ?? '')}).</p>`
      : `<p class="headline">Knee at <b>${esc(stepUsers(knee))}</b>, ${esc(fmt(knee.rps))} req/s (p95 ${esc(fmt(knee.p95Ms))} ms); saturation ${esc(fmt(r.saturationRps))} req/s.</p>
<dl class="plan">
<dt>players (at once)</dt><dd>${int(o.users)} (${int(p.activePlayers)})</dd>
<dt>needed req/s</dt><dd>${esc(fmt(p.perUserRps, 4))} req/s per player × ${int(p.activePlayers)} = <b>${int(p.neededRps)}</b></dd>
<dt>API instances</dt><dd><b>${int(p.apiInstances)}</b> at ${esc(fmt(p.perInstanceRps))} req/s each × ${esc(fmt(1 - o.headroom, 2))}</dd>
<dt>requests in flight</dt><dd>${int(p.inFlightRequests)} (Little's law, ${esc(fmt(knee.meanMs))} ms mean)</dd>
${p.resources.map((n) => `<dt>${esc(n.label)}</dt><dd>${esc(describeNeed(n))}</dd>`).join('\n')}
<dt>headroom</dt><dd>${esc(fmt(o.headroom * 100))}%</dd>
</dl>`;
  const warnings = [
    r.steered === null
      ? ''
      : `<p class="regressed steered">Steered at ${esc(r.steered.atSec)} s: not a clean step run; only the steps before the first change are read.</p>`,
    r.generatorSaturated
      ? `<p class="regressed saturated">The generator saturated: the steps' latencies include loadgen's own queueing.</p>`
      : '',
  ].join('');
  return `<h3>${esc(r.testid)} — SLA p95 ≤ ${o.slaP95Ms} ms, failures ≤ ${esc(fmt(o.maxFailureRate * 100, 2))}%</h3>
${warnings}<table class="steps" data-testid="${esc(r.testid)}"><thead><tr><th>users</th><th title="users whose setup had finished: in their loop">playing</th><th>requests</th><th>failures</th><th>failures %</th><th>avg ms</th><th>p95 ms</th><th>req/s</th><th></th></tr></thead><tbody>${rows}</tbody></table>
${r.setupFinding === null ? '' : `<p class="regressed setup-finding">${esc(r.setupFinding)}</p>`}
${plan}
<details><summary>Assumptions</summary><ul>${r.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul></details>`;
}
