import { z } from 'zod';

/** The most users or iterations per second a change may ask for: beyond it, a typo more likely than a plan. */
const STEERING_MAX = 1_000_000;

/**
 * A change asked of a running run, as POST /api/control takes it (JSON), and as `loadgen control`
 * sends it. One of: `{"users": 20}` or `{"users": 20, "spawnRate": 5}` (closed model), `{"rate":
 * 50}` (open model), `{"stop": true}`.
 */
const usersSchema = z
  .object({
    users: z
      .number({ error: 'users must be a number' })
      .int('users must be a whole number')
      .min(0, 'users must be 0 or more')
      .max(STEERING_MAX, `users must be at most ${STEERING_MAX}`),
    spawnRate: z
      .number({ error: 'spawnRate must be a number' })
      .positive('spawnRate must be more than 0 (users started per second)')
      .max(STEERING_MAX, `spawnRate must be at most ${STEERING_MAX}`)
      .optional(),
  })
  .strict();
const rateSchema = z
  .object({
    rate: z
      .number({ error: 'rate must be a number' })
      .min(0, 'rate must be 0 or more (iterations per second)')
      .max(STEERING_MAX, `rate must be at most ${STEERING_MAX}`),
  })
  .strict();
const stopSchema = z.object({ stop: z.literal(true, { error: 'stop must be true' }) }).strict();

const steeringRequestSchema = z.union([usersSchema, rateSchema, stopSchema]);
export type SteeringRequest = z.infer<typeof steeringRequestSchema>;

const EXAMPLE = 'send {"users": 20} (optionally with "spawnRate"), {"rate": 50} or {"stop": true}';

/** Parse a request body; the message says what is wrong and what a good body looks like. */
export function parseSteeringRequest(
  body: unknown,
): { ok: true; request: SteeringRequest } | { ok: false; message: string } {
  const keys = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
  // The key the body leads with picks the change, so the message is about that change.
  const schema = keys.includes('users')
    ? usersSchema
    : keys.includes('rate')
      ? rateSchema
      : keys.includes('stop')
        ? stopSchema
        : undefined;
  if (schema === undefined) return { ok: false, message: `not a change this run takes: ${EXAMPLE}` };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys')
    return { ok: false, message: `${issue.keys.map((k) => `"${k}"`).join(', ')} not expected: ${EXAMPLE}` };
  return { ok: false, message: issue?.message ?? `not a change this run takes: ${EXAMPLE}` };
}
