import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../errors.js';
import { parseBody } from '../http/validate.js';
import { credentials } from './schemas.js';

/** One identical 401 for an unknown user and a wrong password (same body, same bcrypt cost). */
const INVALID = 'username or password is wrong';

export function loginRoutes(deps: AppDeps): Router {
  const { users, hasher, tokens, loginLimiter, fault } = deps;
  const router = Router();

  router.post('/api/login', fault.point('POST /api/login'), async (req, res) => {
    const { username, password } = parseBody(credentials, req);
    const wait = await loginLimiter.retryAfter(username);
    if (wait > 0) {
      throw new AppError(
        'rate_limited',
        'too many failed logins for this username; try again later',
        undefined,
        {
          'Retry-After': String(wait),
        },
      );
    }
    const user = await users.findCredentials(username);
    const { ok, needsRehash } = await hasher.verify(password, user?.password_hash);
    if (!user || !ok) {
      await loginLimiter.recordFailure(username);
      throw new AppError('invalid_credentials', INVALID);
    }
    await loginLimiter.reset(username);
    // A hash from before the pre-hash: the password is known right now, so upgrade it.
    if (needsRehash) await users.updatePasswordHash(user.id, await hasher.hash(password));
    res.json({
      token: tokens.sign({ userId: user.id, username: user.username }),
      expiresIn: tokens.ttlSeconds,
    });
  });

  return router;
}
