import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.js';

function check<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // An unknown key is one issue for all of them: name each, as a field of its own.
  const details = parsed.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: [...i.path, key].join('.'), message: i.message }))
      : [{ field: i.path.join('.') || where, message: i.message }],
  );
  const first = details[0]!;
  throw new AppError('validation_failed', `${first.field}: ${first.message}`, details);
}

/** Validates a JSON body; a request that sent none (or not as application/json) gets 415. */
export function parseBody<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  if (req.body === undefined) {
    throw new AppError('unsupported_media_type', 'send a JSON body with Content-Type: application/json');
  }
  return check(schema, req.body, 'body');
}

export function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  return check(schema, req.query, 'query');
}

export function parseParams<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  return check(schema, req.params, 'params');
}
