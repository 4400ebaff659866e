import type { Summary } from '../model/summary-schema.js';
import { costOf, type DeclaredResource, declaredResources, resourceLabel } from './resource-profile.js';
import type { StepRow } from './step-analysis.js';

/** What the plan asks of one declared resource. */
export interface ResourceNeed {
  name: string;
  /** How the plan names it (its label, else its name). */
  label: string;
  kind: DeclaredResource['kind'];
  /**
   * With headroom. `pool`: units held at once across the fleet, by Little's law (an upper bound:
   * a request holds a unit for only part of its time). `ops`: operations per second.
   */
  total: number;
  /** total ÷ API instances: one instance's share (for a pool, what its own pool must hold). */
  perInstance: number;
  /** The scenario's per-machine figure, and the machines the total fills at it (rounded up). */
  perMachine?: number;
  machines?: number;
}

/**
 * Every declared resource's need at `neededRps`: each endpoint gets its share of the knee's
 * requests, times its cost (× its mean latency at the knee, for a pool), ÷ (1 − headroom).
 */
export function resourceNeeds(
  summary: Summary,
  knee: StepRow,
  neededRps: number,
  apiInstances: number,
  utilisation: number,
): ResourceNeed[] {
  return declaredResources(summary).map((r) => {
    let load = 0;
    for (const e of knee.endpoints) {
      const rate = knee.requests === 0 ? 0 : (neededRps * e.requests) / knee.requests;
      const cost = costOf(summary, e.endpoint, r);
      load += r.kind === 'pool' ? rate * (e.meanMs / 1000) * cost : rate * cost;
    }
    const total = r.kind === 'pool' ? Math.ceil(load / utilisation) : load / utilisation;
    return {
      name: r.name,
      label: resourceLabel(r),
      kind: r.kind,
      total,
      perInstance: total / apiInstances,
      ...(r.perMachine === undefined
        ? {}
        : { perMachine: r.perMachine, machines: Math.max(1, Math.ceil(total / r.perMachine)) }),
    };
  });
}

/** What the plan assumed of the resources, in the words the report prints. */
export function resourceAssumptions(summary: Summary): string[] {
  const resources = declaredResources(summary);
  if (resources.length === 0) {
    return [
      'the scenario declared no resources behind the target (options.server.resources): the plan sizes the API instances only',
    ];
  }
  const names = resources.map(resourceLabel).join(', ');
  const defaults = resources
    .filter((r) => (r.defaultCost ?? 0) > 0)
    .map((r) => `${r.defaultCost} ${resourceLabel(r)}`);
  const out = [
    `costs per request in ${names} from the scenario (options.server.costs); an endpoint it does not list costs ${defaults.length > 0 ? defaults.join(', ') : 'nothing'}`,
  ];
  const pools = resources.filter((r) => r.kind === 'pool').map(resourceLabel);
  if (pools.length > 0) {
    out.push(
      `${pools.join(', ')} by Little's law with each endpoint's client-side mean at the knee (an upper bound: a request holds a unit for only part of it)`,
    );
  }
  return out;
}

const int = (v: number): string => Math.ceil(v).toLocaleString('en-US');

/** `367 at once, 1 per API instance; 3 machines of 151` or `38,000/s`: one need as the plan prints it. */
export function describeNeed(n: ResourceNeed): string {
  const unit = n.kind === 'ops' ? '/s' : '';
  const amount =
    n.kind === 'pool'
      ? `${int(n.total)} at once, ${int(n.perInstance)} per API instance`
      : `${int(n.total)}/s`;
  if (n.machines === undefined || n.perMachine === undefined) return amount;
  return `${amount}; ${int(n.machines)} machine${n.machines === 1 ? '' : 's'} of ${n.perMachine.toLocaleString('en-US')}${unit}`;
}
