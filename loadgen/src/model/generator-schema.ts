import { z } from 'zod';

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

/** One thread that ran users, over one window (src/metrics/thread-health.ts measures it). */
const threadHealthSchema = z.object({
  /** The worker thread's number (0 with one thread); in a merged summary, within its segment. */
  thread: count,
  /** The segment the thread belonged to; only in a merged summary. */
  segment: count.optional(),
  /** Share of the window its event loop was running code, 0..1 (its CPU: one thread, one core at most). */
  busy: z.number().min(0).max(1),
  /** Event-loop delay: how late a 10 ms timer fired, beyond the 10 ms (perf_hooks.monitorEventLoopDelay). */
  loopP50Ms: ms,
  loopP99Ms: ms,
  loopMaxMs: ms,
});
export type ThreadHealth = z.infer<typeof threadHealthSchema>;

/** The generator's own health in one window: the process, and each thread that ran users. */
export const windowGeneratorSchema = z.object({
  /** The process's CPU time over the window's wall time: 1 = one core's worth (merged: the busiest segment's). */
  cpu: z.number().nonnegative(),
  /** Resident set size in MB at the window's end (merged: the largest segment's). */
  rssMb: z.number().nonnegative(),
  threads: z.array(threadHealthSchema),
});
export type WindowGenerator = z.infer<typeof windowGeneratorSchema>;

/** The bounds a window is judged by (model/generator-saturation.ts; loadgen/README.md "Generator health"). */
const saturationRuleSchema = z.object({
  /** A thread this busy (0..1) or more is saturated. */
  busy: z.number(),
  /** A thread whose event-loop delay p99 reaches this (ms) is saturated. */
  loopP99Ms: z.number(),
  /** This many saturated windows in a row make the run generator-saturated. */
  windows: z.number().int().positive(),
});
export type SaturationRule = z.infer<typeof saturationRuleSchema>;

/** The generator over the whole run, and whether its latencies include its own queueing. */
export const generatorSummarySchema = z.object({
  /** True: the rule held; the run's latencies include the generator's own queueing. */
  saturated: z.boolean(),
  /** Windows in which some thread passed a bound (in a row or not). */
  saturatedWindows: count,
  /** Seconds from the start to the first window of the first stretch that made the run saturated. */
  saturatedFromSec: z.number().nonnegative().optional(),
  rule: saturationRuleSchema,
  /** The highest of the windows' figures. */
  peakCpu: z.number().nonnegative(),
  peakRssMb: z.number().nonnegative(),
  maxBusy: z.number().min(0).max(1),
  maxLoopP99Ms: ms,
});
export type GeneratorSummary = z.infer<typeof generatorSummarySchema>;
