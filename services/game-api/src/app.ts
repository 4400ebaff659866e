import express, { type Express } from 'express';
import type { AppDeps } from './app-deps.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { jsonCharsetUtf8Only } from './http/json-charset.js';
import { requestObserver } from './http/request-observer.js';
import { securityHeaders } from './http/security-headers.js';
import { adminRoutes } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { leaderboardRoutes } from './routes/leaderboard.js';
import { loginRoutes } from './routes/login.js';
import { playerRoutes } from './routes/players.js';
import { sessionRoutes } from './routes/sessions.js';

/** Bodies are small JSON objects; anything larger is refused with 413 before it is parsed. */
const BODY_LIMIT = '16kb';

/** Builds the Express app from its dependencies; `main.ts` and the tests call this. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set('etag', false);
  app.set('query parser', 'simple');
  // What helmet's X-Powered-By middleware does, once, instead of per request.
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(healthRoutes(deps));
  app.use(requestObserver(deps.metrics, deps.logger));
  app.use(jsonCharsetUtf8Only());
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(playerRoutes(deps), loginRoutes(deps), sessionRoutes(deps), leaderboardRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
