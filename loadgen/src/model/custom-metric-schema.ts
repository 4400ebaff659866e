import { z } from 'zod';

/** The summary's custom counters, rates and gauges (`vu.metrics`); custom trends are endpoints. */

const count = z.number().int().nonnegative();

/**
 * A custom counter, rate or gauge in one window (summed over threads and segments): a counter's
 * `count`, a rate's `passes` and `fails`, a gauge's `value` (each part's last value, summed) with
 * the `min` and `max` it was set to (its carried value when it was not set in the window).
 */
export const windowMetricSchema = z.union([
  z.strictObject({ count: z.number().nonnegative() }),
  z.strictObject({ passes: count, fails: count }),
  z.strictObject({ value: z.number(), min: z.number(), max: z.number() }),
]);
export type WindowMetric = z.infer<typeof windowMetricSchema>;

/** A custom counter, rate or gauge over the run (custom trends are `endpoints[]` of kind `custom`). */
export const customMetricSchema = z.discriminatedUnion('type', [
  z.object({
    name: z.string(),
    type: z.literal('counter'),
    count: z.number().nonnegative(),
    /** count / measured duration in seconds. */
    rps: z.number().nonnegative(),
  }),
  z.object({
    name: z.string(),
    type: z.literal('rate'),
    passes: count,
    fails: count,
    /** passes / (passes + fails). */
    rate: z.number().min(0).max(1),
  }),
  z.object({
    name: z.string(),
    type: z.literal('gauge'),
    /** Each part's (thread's, segment's) last value, summed: the whole when each part keeps its share. */
    value: z.number(),
    /** The least and the most it was set to, in any part. */
    min: z.number(),
    max: z.number(),
  }),
]);
export type CustomMetric = z.infer<typeof customMetricSchema>;
