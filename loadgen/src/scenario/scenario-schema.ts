import { z } from 'zod';
import { durationField } from './duration.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** `METHOD /path/:param`: the request line and, as written, the endpoint label. */
const requestLine = z
  .string()
  .regex(
    new RegExp(`^(${METHODS.join('|')}) /\\S*$`),
    'must look like "GET /api/users" (an HTTP method, one space, a path starting with /)',
  );

/** Seconds between steps: a fixed number or a uniform range. */
export const thinkSchema = z.union([
  z.number().nonnegative(),
  z
    .object({ min: z.number().nonnegative(), max: z.number().nonnegative() })
    .refine((t) => t.max >= t.min, { message: 'max must be >= min' }),
]);
export type Think = z.infer<typeof thinkSchema>;

const repeatSchema = z.union([
  z.number().int().min(1),
  z
    .object({ min: z.number().int().min(0), max: z.number().int().min(1) })
    .refine((r) => r.max >= r.min, { message: 'max must be >= min' }),
]);

export const stepSchema = z.strictObject({
  request: requestLine,
  /** Endpoint label; defaults to the request line (which should use :param templates). */
  name: z.string().min(1).optional(),
  /** Values for `:param` segments; strings may use {{var}} / {{randInt a b}} templates. */
  params: z.record(z.string(), z.string()).optional(),
  query: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Save fields of the JSON response into variables: { session: "id" }. */
  capture: z.record(z.string(), z.string()).optional(),
  repeat: repeatSchema.optional(),
  /** Relative frequency when the loop is "weighted". */
  weight: z.number().positive().optional(),
  think: thinkSchema.optional(),
  /** Send the virtual user's bearer token (when it has one). Default true. */
  auth: z.boolean().optional(),
});
export type Step = z.infer<typeof stepSchema>;

const stageInput = z.strictObject({ duration: durationField, target: z.number().nonnegative() });

export const profileInputSchema = z.discriminatedUnion('type', [
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

export const modelInputSchema = z.discriminatedUnion('type', [
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

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . -'),
  /** The `scenario` label on metrics and in the summary (baseline, stress, bottleneck...). */
  label: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . -')
    .optional(),
  description: z.string().optional(),
  target: z.url().optional(),
  /** "game-player": register a unique player and log in before the loop; re-login on 401. */
  setup: z.enum(['none', 'game-player']).default('none'),
  /** "sequence": every step in order per iteration; "weighted": one step picked by weight. */
  loop: z.enum(['sequence', 'weighted']).default('sequence'),
  think: thinkSchema.default(0),
  steps: z.array(stepSchema).min(1),
  model: modelInputSchema,
  profile: profileInputSchema.default({ type: 'constant' }),
  duration: durationField.default(60),
  /** Per-request timeout. */
  timeout: durationField.default(30),
  thresholds: z.array(z.string()).default([]),
});
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
