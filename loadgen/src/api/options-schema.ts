import { z } from 'zod';
import { durationField } from './duration.js';
import { metricsOptionsSchema } from './metrics-options.js';
import {
  type EndpointResources,
  endpointCostsSchema,
  liftLegacyServerOptions,
  resourceSchema,
} from './resources-schema.js';

export type { EndpointResources };

/** The most redirects a request may follow (browsers stop at 20 too). */
export const MAX_REDIRECTS = 20;

/**
 * The options of a scenario: one zod schema for both forms, `options` of a TypeScript scenario
 * (`defineScenario`) and the top level of a JSON scenario (which adds its steps).
 */

/** Seconds between steps: a fixed number or a uniform range. */
export const thinkSchema = z.union([
  z.number().nonnegative(),
  z
    .object({ min: z.number().nonnegative(), max: z.number().nonnegative() })
    .refine((t) => t.max >= t.min, { message: 'max must be >= min' }),
]);
export type Think = z.infer<typeof thinkSchema>;

const stageInput = z.strictObject({ duration: durationField, target: z.number().nonnegative() });

const profileInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant') }),
  z.strictObject({
    type: z.literal('ramp'),
    start: z.number().nonnegative().optional(),
    stages: z.array(stageInput).min(1),
  }),
  z.strictObject({
    type: z.literal('step'),
    levels: z.array(z.number().nonnegative()).min(1),
    stepDuration: durationField,
  }),
  z.strictObject({
    type: z.literal('spike'),
    base: z.number().nonnegative(),
    peak: z.number().nonnegative(),
    /** Seconds into the run when the spike starts, and how long it holds. */
    at: durationField,
    hold: durationField,
  }),
  z.strictObject({
    type: z.literal('burst'),
    base: z.number().nonnegative(),
    peak: z.number().nonnegative(),
    /** A burst of `length` starts every `every`, the first one after `every`. */
    every: durationField,
    length: durationField,
  }),
]);
export type ProfileInput = z.infer<typeof profileInputSchema>;

const modelInputSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('closed'),
    users: z.number().int().min(1),
    spawnRate: z.number().positive().optional(),
  }),
  z.strictObject({
    type: z.literal('open'),
    rate: z.number().positive(),
    preAllocatedVUs: z.number().int().min(1).optional(),
    maxVUs: z.number().int().min(1).optional(),
  }),
]);

const nameField = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . -');

const serverShape = z
  .strictObject({
    /**
     * A gauge on the target's /metrics whose non-zero value means a fault is injected; its labels
     * `route` and `mode` are recorded with the run (game-api: game_api_fault_delay_ms).
     */
    faultGauge: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name')
      .optional(),
    /** Named resources behind the target, for the capacity plan: `{ mysql: { kind: 'pool', perMachine: 151 } }`. */
    resources: z.record(nameField, resourceSchema).optional(),
    /** What one request of each endpoint costs in them: `{ 'GET /api/me': { mysql: 1, redis: 7 } }`. */
    costs: endpointCostsSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const declared = Object.keys(s.resources ?? {});
    for (const [endpoint, cost] of Object.entries(s.costs ?? {})) {
      for (const name of Object.keys(cost)) {
        if (declared.includes(name)) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['costs', endpoint, name],
          message: `no resource "${name}" in server.resources (declared: ${declared.join(', ') || 'none'}): declare it, e.g. ${name}: { kind: "ops" }`,
        });
      }
    }
  });
/** What loadgen may know of the server under test, after validation (old resources converted). */
export type ResolvedServerOptions = z.output<typeof serverShape>;
/** What loadgen may know of the server under test, as a script writes it; all of it optional. */
export type ServerOptions = z.input<typeof serverShape> | LegacyServerOptions;
/** `resources` in the shape before resources had names: per endpoint `{ mysql, redisOps }`. */
interface LegacyServerOptions {
  faultGauge?: string;
  /** @deprecated declare named `resources` and give `costs`. */
  resources?: Record<string, EndpointResources>;
}

/** The server options, also in the old `resources` shape (converted here, once). */
const serverOptionsSchema = z.preprocess(liftLegacyServerOptions, serverShape) as unknown as z.ZodType<
  ResolvedServerOptions,
  ServerOptions
>;

/** Rows every virtual user can read as `vu.data`, from a CSV (with a header line) or a JSON array. */
const dataOptionsSchema = z.strictObject({
  /** Path, relative to the scenario file. */
  file: z.string().min(1),
  /** Default: from the file's extension (.csv or .json). */
  format: z.enum(['csv', 'json']).optional(),
});

/** How every request of the scenario treats HTTP (a request's own options override). */
const httpOptionsSchema = z.strictObject({
  /** Ask for gzip, deflate and br responses and decode them (a request's `decompress` overrides). */
  decompress: z.boolean().default(false),
  /** Redirects each request follows (a request's `redirects` overrides); 0: a 3xx is the response. */
  redirects: z.number().int().min(0).max(MAX_REDIRECTS).default(0),
  /**
   * A PEM file of certificates to trust besides Node's roots, for a test target's own CA
   * (relative to the scenario file; `--ca` overrides it).
   */
  ca: z.string().min(1).optional(),
});

export const scenarioOptionsSchema = z.strictObject({
  /** Default: the file's name without its extension. */
  name: nameField.optional(),
  /** The `scenario` label on metrics and in the summary (baseline, stress, bottleneck...). */
  label: nameField.optional(),
  /**
   * The call pattern this scenario plays (e.g. `game`): runs of one pattern are comparable, so the
   * report colours their deltas and the run history puts them in one series, whatever their load
   * model and fault. Default: derived from the endpoints the run's loop called.
   */
  pattern: nameField.optional(),
  description: z.string().optional(),
  target: z.url().optional(),
  model: modelInputSchema,
  profile: profileInputSchema.default({ type: 'constant' }),
  duration: durationField.default(60),
  /** Per-request timeout. */
  timeout: durationField.default(30),
  thresholds: z.array(z.string()).default([]),
  /** Custom metrics declared before the run (optional): their types, a trend's unit. */
  metrics: metricsOptionsSchema.default({}),
  data: dataOptionsSchema.optional(),
  server: serverOptionsSchema.default({}),
  http: httpOptionsSchema.default({ decompress: false, redirects: 0 }),
});
/** The options as a script writes them ("60s" durations, optional defaults). */
export type ScenarioOptionsInput = z.input<typeof scenarioOptionsSchema>;
/** The options after validation (durations in seconds, defaults filled in). */
export type ScenarioOptions = z.output<typeof scenarioOptionsSchema>;

/** One line naming the first offending fields, e.g. `model.users: Too small: expected >=1`. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
