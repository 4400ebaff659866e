import type { CustomMetric, WindowMetric } from './custom-metric-schema.js';
import { perSecond } from './per-second.js';

/**
 * How custom counters, rates and gauges add up, in one place for every reader that adds them:
 * the run's aggregate (threads), `merge` (segments). Exact: counters are summed, rates as
 * numerator and denominator; a gauge's value is each part's last value summed (the whole when
 * every part keeps its share, e.g. rooms a thread holds open), with the least and most any part set.
 */

/** Two parts' figures of one window (or of one run), added. */
export function addWindowMetric(a: WindowMetric, b: WindowMetric): WindowMetric {
  if ('count' in a && 'count' in b) return { count: a.count + b.count };
  if ('passes' in a && 'passes' in b) return { passes: a.passes + b.passes, fails: a.fails + b.fails };
  if ('value' in a && 'value' in b) {
    return { value: a.value + b.value, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
  }
  // One name was two kinds in two parts (each part checks its own names): those who add parts
  // refuse that (model/name-kinds.ts); until they do, the first is kept.
  return a;
}

/**
 * The run so far, then a later window: counters and rates add up; a gauge takes the later
 * window's value and keeps the least and most of both.
 */
export function thenWindow(run: WindowMetric | undefined, later: WindowMetric): WindowMetric {
  if (run === undefined) return later;
  if ('value' in run && 'value' in later) {
    return { value: later.value, min: Math.min(run.min, later.min), max: Math.max(run.max, later.max) };
  }
  return addWindowMetric(run, later);
}

/** A metric's summary entry from its figures over the whole run. */
export function metricFrom(name: string, total: WindowMetric, elapsedSec: number): CustomMetric {
  if ('count' in total)
    return { name, type: 'counter', count: total.count, rps: perSecond(total.count, elapsedSec) };
  if ('passes' in total) {
    const n = total.passes + total.fails;
    return {
      name,
      type: 'rate',
      passes: total.passes,
      fails: total.fails,
      rate: n === 0 ? 0 : total.passes / n,
    };
  }
  return { name, type: 'gauge', value: total.value, min: total.min, max: total.max };
}

/** Several runs' (segments') figures of the same metrics added: a merged summary's `metrics`. */
export function addMetrics(
  lists: ReadonlyArray<readonly CustomMetric[]>,
  elapsedSec: number,
): CustomMetric[] {
  const byName = new Map<string, CustomMetric[]>();
  for (const m of lists.flat()) {
    const list = byName.get(m.name);
    if (list === undefined) byName.set(m.name, [m]);
    else list.push(m);
  }
  return [...byName]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, ms]) => {
      return metricFrom(name, ms.map(asWindow).reduce(addWindowMetric), elapsedSec);
    });
}

function asWindow(m: CustomMetric): WindowMetric {
  if (m.type === 'counter') return { count: m.count };
  if (m.type === 'rate') return { passes: m.passes, fails: m.fails };
  return { value: m.value, min: m.min, max: m.max };
}
