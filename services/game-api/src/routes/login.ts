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
    // The socket's address: X-Forwarded-For is not trusted (no proxy in front of game-api here).
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // Consumed before the compare, so concurrent guesses cannot all slip past the limit.
    const attempt = await loginLimiter.attempt(username, address);
    if (!attempt.allowed) {
      throw new AppError('rate_limited', 'too many failed logins; try again later', undefined, {
        'Retry-After': String(attempt.retryAfterSeconds),
      });
    }
    const user = await users.findCredentials(username);
    const { ok, needsRehash } = await hasher.verify(password, user?.password_hash);
    if (!user || !ok) throw new AppError('invalid_credentials', INVALID);
    await loginLimiter.succeeded(username, address);
    // A hash from before the pre-hash: the password is known right now, so upgrade it.
    if (needsRehash) await users.updatePasswordHash(user.id, await hasher.hash(password));
    res.json({
      token: tokens.sign({ userId: user.id, username: user.username }),
      expiresIn: tokens.ttlSeconds,
    });
  });

  return router;
}
