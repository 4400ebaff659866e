import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { requireAuth } from '../auth/require-auth.js';
import { parseQuery } from '../http/validate.js';
import { leaderboardQuery } from './schemas.js';

export function leaderboardRoutes(deps: AppDeps): Router {
  const { leaderboard, tokens, fault } = deps;
  const router = Router();
  router.get(
    '/api/leaderboard',
    requireAuth(tokens),
    fault.point('GET /api/leaderboard'),
    async (req, res) => {
      const { limit } = parseQuery(leaderboardQuery, req);
      res.json({ entries: await leaderboard.top(limit) });
    },
  );
  return router;
}
