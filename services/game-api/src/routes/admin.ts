import { createHash, timingSafeEqual } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { FAULT_MODES } from '../config.js';
import { AppError } from '../errors.js';
import { parseBody } from '../http/validate.js';

const faultUpdate = z
  .object({
    delayMs: z.number().int().min(0).max(600_000),
    route: z.string().min(1).optional(),
    mode: z.enum(FAULT_MODES).optional(),
  })
  .strict();

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of `X-Admin-Token` (equal-length digests, so length leaks nothing). */
function requireAdmin(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const given = req.get('x-admin-token');
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new AppError('unauthorized', 'a valid X-Admin-Token header is required');
    }
    next();
  };
}

/** Runtime fault toggle. Without ADMIN_TOKEN the routes do not exist (404). */
export function adminRoutes(deps: AppDeps): Router {
  const router = Router();
  const { adminToken, fault } = deps;
  if (!adminToken) return router;
  const admin = requireAdmin(adminToken);
  router.get('/admin/fault', admin, (_req, res) => {
    res.json({ ...fault.current, routes: fault.routes });
  });
  router.put('/admin/fault', admin, (req, res) => {
    const update = parseBody(faultUpdate, req);
    const next = fault.set({ ...fault.current, ...update }, `PUT /admin/fault from ${req.ip}`);
    res.json(next);
  });
  return router;
}
