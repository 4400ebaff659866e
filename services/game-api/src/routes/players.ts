import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { requireAuth } from '../auth/require-auth.js';
import { UsernameTakenError } from '../db/users-repository.js';
import { AppError } from '../errors.js';
import { parseBody, parseQuery } from '../http/validate.js';
import { credentials, pagination } from './schemas.js';

/** Registration, the player list (the default bottleneck target) and one's own profile. */
export function playerRoutes(deps: AppDeps): Router {
  const { users, hasher, tokens, profiles, fault } = deps;
  const auth = requireAuth(tokens);
  const router = Router();

  router.post('/api/users', fault.point('POST /api/users'), async (req, res) => {
    const { username, password } = parseBody(credentials, req);
    const hash = await hasher.hash(password);
    try {
      const id = await users.create(username, hash);
      res.status(201).json({ id, username });
    } catch (err) {
      if (err instanceof UsernameTakenError) throw new AppError('username_taken', 'that username is taken');
      throw err;
    }
  });

  router.get('/api/users', auth, fault.point('GET /api/users'), async (req, res) => {
    const { page, limit } = parseQuery(pagination, req);
    res.json({ users: await users.list(page, limit), page, limit });
  });

  router.get('/api/me', auth, fault.point('GET /api/me'), async (_req, res) => {
    const { userId } = res.locals.player;
    const profile = await profiles.get(userId, () => users.profile(userId));
    if (!profile) throw new AppError('not_found', 'this player no longer exists');
    res.json(profile);
  });

  return router;
}
