import { z } from 'zod';
import { scenarioOptionsSchema, thinkSchema } from '../api/options-schema.js';

/**
 * The declarative (JSON) form of a scenario: the same options as a TypeScript scenario, plus the
 * steps every iteration runs. json-scenario.ts compiles it to the scripting API.
 */

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** `METHOD /path/:param`: the request line and, as written, the endpoint label. */
const requestLine = z
  .string()
  .regex(
    new RegExp(`^(${METHODS.join('|')}) /\\S*$`),
    'must look like "GET /api/users" (an HTTP method, one space, a path starting with /)',
  );

const repeatSchema = z.union([
  z.number().int().min(1),
  z
    .object({ min: z.number().int().min(0), max: z.number().int().min(1) })
    .refine((r) => r.max >= r.min, { message: 'max must be >= min' }),
]);

const stepSchema = z.strictObject({
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
  /** Send the user's default headers (the bearer token a setup stored). Default true. */
  auth: z.boolean().optional(),
});
export type Step = z.infer<typeof stepSchema>;

/**
 * `none`, a script's export as `<path>#<export>`, or a name the presets folder's setups.json maps
 * to one (setup-reference.ts).
 */
const setupField = z
  .string()
  .regex(
    /^(none|[A-Za-z0-9_.-]+|[^#]+#[A-Za-z_$][\w$]*)$/,
    'a script\'s export as "./file.ts#exportName" (relative to this file), a setup name such as "game-player", or "none"',
  );

export const scenarioSchema = scenarioOptionsSchema.extend({
  /**
   * The users' setup, a script's export (`./game.ts#gamePlayer`: register a unique player, log in;
   * log in again on a 401) or its name (`game-player`). Default none.
   */
  setup: setupField.default('none'),
  /** "sequence": every step in order per iteration; "weighted": one step picked by weight. */
  loop: z.enum(['sequence', 'weighted']).default('sequence'),
  think: thinkSchema.default(0),
  steps: z.array(stepSchema).min(1),
});
export type JsonScenarioInput = z.input<typeof scenarioSchema>;
export type JsonScenario = z.infer<typeof scenarioSchema>;
