import { z } from 'zod';

/** Request shapes validated at the edge; the README's endpoint table documents the same limits. */
export const credentials = z.object({
  username: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, 'must be 3 to 32 characters of A-Z, a-z, 0-9, "_", "." or "-"'),
  password: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(128, 'must be at most 128 characters')
    // NUL and the other C0/C1 controls: never typed on purpose, and a NUL ends a C string.
    .refine((v) => !/\p{Cc}/u.test(v), 'must not contain control characters'),
});

/**
 * A whole-number query parameter, given once, written in decimal digits without sign, spaces,
 * leading zeros or exponent. `Number()` alone reads `0x10`, `1e2`, ` 5` and `+5`, and a parameter
 * given twice arrives as an array: each would be taken for a number the client did not write.
 */
function queryInteger(min: number, max: number, fallback: number) {
  const range = `a decimal integer from ${min} to ${max}`;
  return z
    .string({
      error: (issue) =>
        Array.isArray(issue.input)
          ? `given ${issue.input.length} times: send it once, ${range}`
          : `must be ${range}`,
    })
    .regex(/^(0|[1-9][0-9]*)$/, `must be ${range} (digits only: no sign, spaces, leading zeros or exponent)`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${range}`).max(max, `must be ${range}`))
    .default(fallback);
}

/**
 * A route's query parameters: a parameter the route does not take is refused rather than
 * ignored (`limit[]=5` is not `limit=5`, and a typo is not the default).
 */
function queryOf<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `not a parameter of this route; it takes ${Object.keys(shape).join(', ')}`
        : undefined,
  });
}

export const pagination = queryOf({
  page: queryInteger(1, 100_000, 1),
  limit: queryInteger(1, 100, 20),
});

export const leaderboardQuery = queryOf({
  limit: queryInteger(1, 100, 10),
});

export const sessionParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'must be a session id')
    .transform(Number),
});

export const scoreBody = z.object({
  points: z.number().int().min(1).max(1000),
});
