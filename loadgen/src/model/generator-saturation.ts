import type { GeneratorSummary, SaturationRule, WindowGenerator } from './generator-schema.js';

/**
 * When the generator cannot be trusted (its own queueing is then in every latency): a window is saturated when some thread
 * was busy 90% of it or more (Locust warns from 90% CPU; a thread can use one core at most) or its
 * event-loop delay p99 reached 50 ms (a response waited that long to be timed); the run is
 * generator-saturated after 3 such windows in a row, so one garbage collection or a slow start
 * does not mark it. loadgen/README.md "Generator health" documents the rule. Measured with
 * test/metrics/generator-health.test.ts's runs on the shared 2-core machine (12:22 UTC 2026-12-07):
 * the CPU-burning scenario (20 users, 50 ms of spinning per iteration) had every window at busy
 * 1.0 and event-loop delay p99 around 1,000-1,300 ms; the light one (4 users, 0.1 s think, 2
 * threads) at most busy 0.04 and p99 13 ms.
 */
export const SATURATION_RULE: SaturationRule = { busy: 0.9, loopP99Ms: 50, windows: 3 };

export function windowSaturated(g: WindowGenerator, rule: SaturationRule = SATURATION_RULE): boolean {
  return g.threads.some((t) => t.busy >= rule.busy || t.loopP99Ms >= rule.loopP99Ms);
}

/**
 * The generator summary folded window by window (in time order), so a view of the run so far (the
 * dashboard, at every closed window) pays for the new window only, not for every window again.
 */
export class GeneratorAssessment {
  private sampled = 0;
  private saturatedWindows = 0;
  private run = 0;
  private runStart = 0;
  private saturatedFromSec: number | undefined;
  private peakCpu = 0;
  private peakRssMb = 0;
  private maxBusy = 0;
  private maxLoopP99Ms = 0;

  constructor(private readonly rule: SaturationRule = SATURATION_RULE) {}

  /** The next window; one without health figures (sampling off) leaves everything as it was. */
  add(w: { t: number; generator?: WindowGenerator }): void {
    const g = w.generator;
    if (g === undefined) return;
    this.sampled++;
    this.peakCpu = Math.max(this.peakCpu, g.cpu);
    this.peakRssMb = Math.max(this.peakRssMb, g.rssMb);
    for (const t of g.threads) {
      this.maxBusy = Math.max(this.maxBusy, t.busy);
      this.maxLoopP99Ms = Math.max(this.maxLoopP99Ms, t.loopP99Ms);
    }
    if (!windowSaturated(g, this.rule)) {
      this.run = 0;
      return;
    }
    this.saturatedWindows++;
    if (this.run === 0) this.runStart = w.t;
    this.run++;
    if (this.run >= this.rule.windows && this.saturatedFromSec === undefined)
      this.saturatedFromSec = this.runStart;
  }

  /** The windows added so far, or undefined while none had health figures. */
  summary(): GeneratorSummary | undefined {
    if (this.sampled === 0) return undefined;
    return {
      saturated: this.saturatedFromSec !== undefined,
      saturatedWindows: this.saturatedWindows,
      ...(this.saturatedFromSec === undefined ? {} : { saturatedFromSec: this.saturatedFromSec }),
      rule: this.rule,
      peakCpu: this.peakCpu,
      peakRssMb: this.peakRssMb,
      maxBusy: this.maxBusy,
      maxLoopP99Ms: this.maxLoopP99Ms,
    };
  }
}

/**
 * The run's generator summary from its windows (in time order), or undefined when no window has
 * health figures (sampling off, or a summary written before it existed).
 */
export function assessGenerator(
  windows: readonly { t: number; generator?: WindowGenerator }[],
  rule: SaturationRule = SATURATION_RULE,
): GeneratorSummary | undefined {
  const assessment = new GeneratorAssessment(rule);
  for (const w of windows) assessment.add(w);
  return assessment.summary();
}
