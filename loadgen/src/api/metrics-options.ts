import { z } from 'zod';

/**
 * `options.metrics`: the custom metrics a scenario declares (k6's Trend, Counter, Rate, Gauge).
 * Declaring is optional (a name used by `vu.time`, `vu.record` or `vu.metrics.*` is created at
 * first use: a trend in ms, a counter, a rate, a gauge), but a declared one is known before the
 * run: its thresholds are checked when the scenario loads, and a trend may have another unit
 * than ms.
 */

/** What is wrong with a custom metric's name, or undefined: the same rule declared or at first use. */
export function metricNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a metric name is a non-empty string';
  if (name.length > 100) return 'a metric name has at most 100 characters';
  if (name.trim() !== name || /[\n\r"{}]/.test(name)) {
    return 'a metric name has no leading or trailing space, newline, double quote or brace';
  }
  // A threshold names these without a metric name (`checks>99%`, `script_errors<1%`).
  if (name === 'checks' || name === 'script_errors') return `"${name}" is a threshold of its own`;
  return undefined;
}

/** A unit as printed after a trend's figures: `ms` (the default), `count`, `bytes`, `players`... */
const unitField = z
  .string()
  .regex(/^[A-Za-z%][A-Za-z0-9%/_-]{0,15}$/, 'a short unit such as ms, count, bytes');

/** Labels loadgen puts on its own series, and Prometheus' own: no tag may take one. */
const RESERVED_TAGS = new Set(['testid', 'scenario', 'name', 'unit', 'le', 'quantile', 'error', 'result']);

/**
 * The tag keys a metric's samples may carry (k6's tags), at most 3: each sample is counted in
 * the metric and in its series of those tags' values (`join room{region=eu}`).
 */
const tagsField = z
  .array(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,30}$/, 'a tag key is a Prometheus label name: lower case, digits, _')
      .refine((k) => !RESERVED_TAGS.has(k), { message: 'a label loadgen sets itself' }),
  )
  .min(1)
  .max(3)
  .refine((keys) => new Set(keys).size === keys.length, { message: 'each tag key once' })
  .optional();

const metricDeclarationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** A distribution (HdrHistogram): `vu.time` (ms) and `vu.record`. */
    type: z.literal('trend'),
    /** Default `ms`. Another unit keeps 0.001 .. 8.8e9 of it at 3 significant digits. */
    unit: unitField.optional(),
    tags: tagsField,
  }),
  /** A sum: `vu.metrics.count(name, n)`. */
  z.strictObject({ type: z.literal('counter'), tags: tagsField }),
  /** A share of true among booleans: `vu.metrics.rate(name, ok)`. */
  z.strictObject({ type: z.literal('rate'), tags: tagsField }),
  /** A value that goes up and down: `vu.metrics.gauge(name, value)`; its last value, min and max. */
  z.strictObject({ type: z.literal('gauge'), tags: tagsField }),
]);
type MetricDeclaration = z.infer<typeof metricDeclarationSchema>;
export type MetricType = MetricDeclaration['type'];

// Names checked on the record, not as its key schema: zod reports a bad key only as "Invalid key".
export const metricsOptionsSchema = z
  .record(z.string(), metricDeclarationSchema)
  .superRefine((metrics, ctx) => {
    for (const name of Object.keys(metrics)) {
      const problem = metricNameProblem(name);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  });
/** Declared metrics by name. */
export type MetricDeclarations = z.infer<typeof metricsOptionsSchema>;
