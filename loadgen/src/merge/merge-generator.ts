import { assessGenerator } from '../model/generator-saturation.js';
import type { GeneratorSummary, WindowGenerator } from '../model/generator-schema.js';
import type { Summary, TimeWindow } from '../model/summary-schema.js';

/** An input's window health with its threads tagged by segment, before the windows are merged. */
export function tagSegment(g: WindowGenerator, segment: number): WindowGenerator {
  return { ...g, threads: g.threads.map((t) => ({ ...t, segment })) };
}

/**
 * One merged window's health. Segments run on their own machines (or processes): the busiest
 * process's CPU and RSS, and every segment's threads.
 */
export function mergeWindowGenerators(windows: readonly TimeWindow[]): WindowGenerator | undefined {
  const health = windows.flatMap((w) => (w.generator === undefined ? [] : [w.generator]));
  if (health.length === 0) return undefined;
  return {
    cpu: Math.max(...health.map((g) => g.cpu)),
    rssMb: Math.max(...health.map((g) => g.rssMb)),
    threads: health.flatMap((g) => g.threads),
  };
}

/**
 * The merged run's generator summary: the rule over the merged windows (a segment's thread
 * saturated 3 windows in a row still is), and saturated too when an input said so by its own rule.
 */
export function mergedGeneratorSummary(
  summaries: readonly Summary[],
  timeSeries: readonly TimeWindow[],
): GeneratorSummary | undefined {
  const generator = assessGenerator(timeSeries);
  if (generator === undefined) return undefined;
  return { ...generator, saturated: generator.saturated || summaries.some((s) => s.generator?.saturated) };
}

/** Each process of a segmented run is steered on its own: every segment's changes, on the merged clock. */
export function mergedTimeline(
  summaries: readonly Summary[],
  offsetSec: readonly number[],
): NonNullable<Summary['timeline']> {
  return summaries
    .flatMap((s, i) =>
      (s.timeline ?? []).map((c) => ({
        ...c,
        t: Math.round(((offsetSec[i] as number) + c.t) * 1000) / 1000,
        segment: s.run.segment.index,
      })),
    )
    .sort((a, b) => a.t - b.t);
}
