import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { requireAuth } from '../auth/require-auth.js';
import { recordSessionsEnded } from '../cache/sessions-ended.js';
import { MAX_SESSION_SCORE } from '../db/sessions-repository.js';
import { AppError } from '../errors.js';
import { parseBody, parseParams } from '../http/validate.js';
import { scoreBody, sessionParams } from './schemas.js';

// Another player's session answers the same 404 as a missing one: ids are not an oracle.
const NOT_FOUND = 'no open session with that id for this player';

/** A game session: start, add points, end (durable in MySQL, then leaderboard and profile). */
export function sessionRoutes(deps: AppDeps): Router {
  const { sessions, tokens, fault } = deps;
  const auth = requireAuth(tokens);
  const router = Router();

  router.post('/api/sessions', auth, fault.point('POST /api/sessions'), async (_req, res) => {
    const { id, startedAt } = await sessions.start(res.locals.player.userId);
    res.status(201).json({ id, startedAt: startedAt.toISOString() });
  });

  router.post(
    '/api/sessions/:id/score',
    auth,
    fault.point('POST /api/sessions/:id/score'),
    async (req, res) => {
      const { id } = parseParams(sessionParams, req);
      const { points } = parseBody(scoreBody, req);
      const result = await sessions.addScore(res.locals.player.userId, id, points);
      switch (result.kind) {
        case 'ok':
          res.json({ id, score: result.score });
          return;
        case 'not_found':
          throw new AppError('not_found', NOT_FOUND);
        case 'ended':
          throw new AppError('session_ended', 'this session has ended');
        case 'limit':
          throw new AppError('score_limit_reached', `a session scores at most ${MAX_SESSION_SCORE} points`);
      }
    },
  );

  router.post('/api/sessions/:id/end', auth, fault.point('POST /api/sessions/:id/end'), async (req, res) => {
    const { id } = parseParams(sessionParams, req);
    const { userId } = res.locals.player;
    const result = await sessions.end(userId, id);
    if (result.kind === 'not_found') throw new AppError('not_found', NOT_FOUND);
    if (result.kind === 'ended') throw new AppError('session_ended', 'this session has ended');
    await recordSessionsEnded(deps, [{ userId, username: result.username, totalScore: result.totalScore }]);
    res.json({ id, score: result.score, endedAt: result.endedAt.toISOString() });
  });

  return router;
}
