import { z } from 'zod';

/**
 * What the target's requests ask of the parts behind it, for `loadgen capacity`: named resources
 * a scenario declares (`options.server.resources`: a database pool, a cache...) and what one
 * request of each endpoint costs in them (`options.server.costs`). loadgen knows no resource by
 * name; the scenario says what they are (game-api's are in loadgen/scenarios/game-api.ts).
 */

const RESOURCE_KINDS = ['pool', 'ops'] as const;

export const resourceSchema = z.strictObject({
  /**
   * `pool`: units a request holds while it runs (a database pool's connections); the plan sizes
   * it by Little's law: Σ endpoint req/s × its mean latency at the knee × its cost.
   * `ops`: operations a request sends (cache commands); the plan sizes it in operations per
   * second: Σ endpoint req/s × its cost.
   */
  kind: z.enum(RESOURCE_KINDS),
  /**
   * What one machine of it provides: units of a pool (a database server's connection limit),
   * operations per second. Given, the plan says how many machines the need fills.
   */
  perMachine: z.number().positive().optional(),
  /** How the plan names it ("MySQL connections"). Default: its name. */
  label: z.string().min(1).optional(),
  /** What one request of an endpoint the costs do not list costs in it. Default 0. */
  defaultCost: z.number().nonnegative().optional(),
});
export type ResourceOptions = z.infer<typeof resourceSchema>;

/** Per endpoint (`GET /api/me`), what one request costs in each declared resource: `{ mysql: 1, redis: 7 }`. */
export const endpointCostsSchema = z.record(z.string(), z.record(z.string(), z.number().nonnegative()));
export type EndpointCosts = z.infer<typeof endpointCostsSchema>;

/**
 * The shape before resources had names: per endpoint, whether a request holds a MySQL connection
 * and how many Redis commands it sends. Still accepted (scripts, JSON scenarios, summaries up to
 * version 2) and read as MYSQL_REDISOPS_SHAPE_RESOURCES.
 * @deprecated declare `resources` and give `costs` instead.
 */
const legacyEndpointResourcesSchema = z.strictObject({
  mysql: z.boolean(),
  redisOps: z.number().nonnegative(),
});
/** @deprecated the old per-endpoint shape `{ mysql: boolean, redisOps: number }`. */
export type EndpointResources = z.infer<typeof legacyEndpointResourcesSchema>;

/**
 * The resources the old `{ mysql, redisOps }` shape named without declaring them: a MySQL pool and
 * Redis commands. An endpoint it did not list was taken to use MySQL and no Redis.
 */
export const MYSQL_REDISOPS_SHAPE_RESOURCES: Record<string, ResourceOptions> = {
  mysql: { kind: 'pool', label: 'MySQL connections', defaultCost: 1 },
  redis: { kind: 'ops', label: 'Redis commands' },
};

export interface Resources {
  resources: Record<string, ResourceOptions>;
  costs: EndpointCosts;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `resources` table in the old shape: endpoints whose values have `mysql`/`redisOps`, no `kind`. */
export function isLegacyResources(table: unknown): table is Record<string, unknown> {
  const values = isObject(table) ? Object.values(table) : [];
  return (
    values.length > 0 &&
    values.every((v) => isObject(v) && !('kind' in v) && ('mysql' in v || 'redisOps' in v))
  );
}

/** The old table as named resources and costs; each entry is checked against the old shape first. */
export function liftLegacyResources(
  table: Record<string, unknown>,
): { ok: true; value: Resources } | { ok: false; endpoint: string; error: z.ZodError } {
  const costs: EndpointCosts = {};
  for (const [endpoint, raw] of Object.entries(table)) {
    const parsed = legacyEndpointResourcesSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, endpoint, error: parsed.error };
    costs[endpoint] = { mysql: parsed.data.mysql ? 1 : 0, redis: parsed.data.redisOps };
  }
  return { ok: true, value: { resources: MYSQL_REDISOPS_SHAPE_RESOURCES, costs } };
}

/**
 * `options.server` as written, with a `resources` table of the old shape turned into named
 * resources and costs (a zod preprocess step: what is wrong in an old table is reported at its
 * own path).
 */
export function liftLegacyServerOptions(raw: unknown, ctx: z.RefinementCtx): unknown {
  if (!isObject(raw) || !isLegacyResources(raw.resources)) return raw;
  if (raw.costs !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['resources'],
      message:
        'the old per-endpoint shape ({ mysql, redisOps }) does not go with costs: declare the resources by name ({ mysql: { kind: "pool" } })',
    });
    return raw;
  }
  const lifted = liftLegacyResources(raw.resources);
  if (lifted.ok) return { ...raw, ...lifted.value };
  for (const issue of lifted.error.issues) {
    ctx.addIssue({
      code: 'custom',
      path: ['resources', lifted.endpoint, ...issue.path],
      message: issue.message,
    });
  }
  return raw;
}
