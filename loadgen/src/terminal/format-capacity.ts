import { type CapacityReport, stepUsers } from '../capacity/capacity-plan.js';
import { describeNeed } from '../capacity/resource-needs.js';
import { fmt } from '../model/number-format.js';
import { textTable } from './text-table.js';

const int = (v: number): string => Math.ceil(v).toLocaleString('en-US');

export function formatCapacity(r: CapacityReport): string {
  const o = r.options;
  const out: string[] = [
    `Step analysis of ${r.testid} (SLA: p95 ≤ ${o.slaP95Ms} ms, failures ≤ ${fmt(o.maxFailureRate * 100, 2)}%)`,
  ];
  if (r.excluded.length > 0)
    out.push(`Steady loop only: leaves out ${r.excluded.join(', ')} (see assumptions).`);
  if (r.steered !== null)
    out.push(
      `STEERED at ${r.steered.atSec} s (${r.steered.changes} change${r.steered.changes > 1 ? 's' : ''}): not a clean step run; only the steps before the first change are read.`,
    );
  if (r.generatorSaturated)
    out.push(
      "WARNING: the generator saturated: the steps' latencies include loadgen's own queueing (marked steps: in their windows).",
    );
  out.push('');
  out.push(
    textTable(
      ['users', 'playing', 'requests', 'failures', 'failures %', 'avg ms', 'p95 ms', 'req/s', 'verdict'],
      r.steps.map((s, i) => [
        String(s.users),
        s.loopUsers === null ? '—' : String(s.loopUsers),
        String(s.requests),
        String(s.failures),
        `${fmt(s.failureRate * 100, 2)}%`,
        fmt(s.meanMs),
        fmt(s.p95Ms),
        fmt(s.rps),
        [
          i === r.knee ? '← knee' : i === r.breach ? `✗ ${r.breachReason}` : '',
          r.unreached.includes(i) ? '⚠ setup could not keep up' : '',
          s.saturatedWindows > 0 ? '(generator saturated)' : '',
        ]
          .filter((v) => v !== '')
          .join('; '),
      ]),
      [0, 8],
    ),
  );
  out.push('');
  if (r.setupFinding !== null) out.push(r.setupFinding, '');
  const knee = r.knee === null ? undefined : r.steps[r.knee];
  if (knee === undefined) {
    out.push(
      `No knee: the first step already breaks the SLA (${r.breachReason}). Run the step preset at lower levels.`,
    );
    return out.join('\n');
  }
  const saturation = r.steps[r.saturationStep];
  out.push(`Knee: ${stepUsers(knee)} at ${fmt(knee.rps)} req/s, p95 ${fmt(knee.p95Ms)} ms.`);
  out.push(
    `Saturation: ${fmt(r.saturationRps)} req/s (the most any step reached, at ${saturation === undefined ? '?' : stepUsers(saturation)}).`,
  );
  const p = r.plan;
  if (p !== null) {
    out.push('');
    out.push(
      `Capacity plan for ${o.users.toLocaleString('en-US')} players (${int(p.activePlayers)} playing at once):`,
    );
    out.push(
      `  per-player rate   ${fmt(p.perUserRps, 4)} req/s  × ${int(p.activePlayers)} players = ${int(p.neededRps)} req/s needed`,
    );
    out.push(
      `  API instances     ${int(p.apiInstances)}  (${int(p.neededRps)} req/s ÷ (${fmt(p.perInstanceRps)} req/s per instance at the knee × ${fmt(1 - o.headroom, 2)}))`,
    );
    out.push(
      `  in flight         ${int(p.inFlightRequests)} requests (Little's law: ${int(p.neededRps)} req/s × ${fmt(knee.meanMs)} ms mean at the knee)`,
    );
    for (const n of p.resources) out.push(`  ${n.label.padEnd(17)} ${describeNeed(n)}`);
    out.push(`  headroom          ${fmt(o.headroom * 100)}% on every figure above`);
  }
  out.push('');
  out.push('Assumptions:');
  for (const a of r.assumptions) out.push(`  - ${a}`);
  return out.join('\n');
}
