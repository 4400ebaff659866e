import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { TokenClaims, TokenService } from './token-service.js';

declare global {
  namespace Express {
    interface Locals {
      player: TokenClaims;
    }
  }
}

/** Bearer-token guard: puts the verified player into `res.locals.player`, or answers 401. */
export function requireAuth(tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    const claims = match ? tokens.verify(match[1]!) : undefined;
    if (!claims) {
      throw new AppError('unauthorized', 'a valid bearer token is required', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    }
    res.locals.player = claims;
    next();
  };
}
