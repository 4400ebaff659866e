import type { MetricType } from '../api/metrics-options.js';
import type { WindowMetric } from '../model/custom-metric-schema.js';
import type { MetricNames } from './metric-names.js';

class Cell {
  count = 0;
  passes = 0;
  fails = 0;
  /** A gauge's last value: carried from window to window once set. */
  value = 0;
  min = 0;
  max = 0;
  /** Set (gauge) or counted (counter, rate) in the current window. */
  touched = false;
  /** A gauge that was ever set. */
  set = false;

  constructor(readonly type: Exclude<MetricType, 'trend'>) {}
}

/**
 * The custom counters, rates and gauges of one part (`vu.metrics`): one cell per name, found by
 * the script's own name string (no key built per call), reset each window except a gauge's value.
 */
export class CustomMetrics {
  private readonly cells = new Map<string, Cell>();

  constructor(private readonly names: MetricNames) {}

  private cell(name: string, type: Cell['type']): Cell {
    let c = this.cells.get(name);
    if (c === undefined || c.type !== type) {
      this.names.claim(name, type); // throws when the name is something else already
      c = new Cell(type);
      this.cells.set(name, c);
    }
    return c;
  }

  count(name: string, n: number): void {
    if (typeof n !== 'number' || !(n >= 0) || n === Infinity) {
      throw new TypeError(
        `vu.metrics.count(${JSON.stringify(name)}, ${String(n)}): n must be a finite number >= 0`,
      );
    }
    const c = this.cell(name, 'counter');
    c.count += n;
    c.touched = true;
  }

  rate(name: string, ok: boolean): void {
    const c = this.cell(name, 'rate');
    if (ok) c.passes++;
    else c.fails++;
    c.touched = true;
  }

  gauge(name: string, value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(
        `vu.metrics.gauge(${JSON.stringify(name)}, ${String(value)}): the value must be a finite number`,
      );
    }
    const c = this.cell(name, 'gauge');
    c.value = value;
    if (!c.touched) {
      c.min = value;
      c.max = value;
      c.touched = true;
      c.set = true;
    } else if (value < c.min) c.min = value;
    else if (value > c.max) c.max = value;
  }

  /** The window's figures; counters and rates start again from 0, a gauge keeps its value. */
  flush(): Record<string, WindowMetric> | undefined {
    let out: Record<string, WindowMetric> | undefined;
    for (const [name, c] of this.cells) {
      let r: WindowMetric | undefined;
      if (c.type === 'counter') {
        if (c.touched) r = { count: c.count };
        c.count = 0;
      } else if (c.type === 'rate') {
        if (c.touched) r = { passes: c.passes, fails: c.fails };
        c.passes = 0;
        c.fails = 0;
      } else if (c.set) {
        // Not set in this window: it still holds its last value.
        r = c.touched
          ? { value: c.value, min: c.min, max: c.max }
          : { value: c.value, min: c.value, max: c.value };
      }
      c.touched = false;
      if (r === undefined) continue;
      out ??= {};
      out[name] = r;
    }
    return out;
  }
}
