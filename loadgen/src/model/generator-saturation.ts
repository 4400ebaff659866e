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
 * The run's generator summary from its windows (in time order), or undefined when no window has
 * health figures (sampling off, or a summary written before it existed).
 */
export function assessGenerator(
  windows: readonly { t: number; generator?: WindowGenerator }[],
  rule: SaturationRule = SATURATION_RULE,
): GeneratorSummary | undefined {
  const sampled = windows.filter((w) => w.generator !== undefined);
  if (sampled.length === 0) return undefined;
  let saturatedWindows = 0;
  let run = 0;
  let runStart = 0;
  let saturatedFromSec: number | undefined;
  let peakCpu = 0;
  let peakRssMb = 0;
  let maxBusy = 0;
  let maxLoopP99Ms = 0;
  for (const w of sampled) {
    const g = w.generator as WindowGenerator;
    peakCpu = Math.max(peakCpu, g.cpu);
    peakRssMb = Math.max(peakRssMb, g.rssMb);
    for (const t of g.threads) {
      maxBusy = Math.max(maxBusy, t.busy);
      maxLoopP99Ms = Math.max(maxLoopP99Ms, t.loopP99Ms);
    }
    if (!windowSaturated(g, rule)) {
      run = 0;
      continue;
    }
    saturatedWindows++;
    if (run === 0) runStart = w.t;
    run++;
    if (run >= rule.windows && saturatedFromSec === undefined) saturatedFromSec = runStart;
  }
  return {
    saturated: saturatedFromSec !== undefined,
    saturatedWindows,
    ...(saturatedFromSec === undefined ? {} : { saturatedFromSec }),
    rule,
    peakCpu,
    peakRssMb,
    maxBusy,
    maxLoopP99Ms,
  };
}
