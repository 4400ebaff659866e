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

export const pagination = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const leaderboardQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
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
