import { thenWindow } from '../model/custom-metric-math.js';
import type { WindowMetric } from '../model/custom-metric-schema.js';

/**
 * Custom counters, rates and gauges over the completed windows of a run: a counter's and a
 * rate's sums, a gauge's latest window's value with its least and most.
 */
export class CustomMetricTotals {
  readonly byName = new Map<string, WindowMetric>();
  /** The window a gauge's value was last taken from. */
  private readonly from = new Map<string, number>();

  /** The window starting at `t` s completed; the final partial windows may complete out of order. */
  add(t: number, metrics: ReadonlyMap<string, WindowMetric>): void {
    for (const [name, m] of metrics) {
      const run = this.byName.get(name);
      const later = t >= (this.from.get(name) ?? -1);
      this.byName.set(name, later ? thenWindow(run, m) : thenWindow(m, run as WindowMetric));
      if (later) this.from.set(name, t);
    }
  }
}
