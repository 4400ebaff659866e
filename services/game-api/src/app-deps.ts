import type { Logger } from 'pino';
import type { PasswordHasher } from './auth/password-hasher.js';
import type { TokenService } from './auth/token-service.js';
import type { LeaderboardCache } from './cache/leaderboard-cache.js';
import type { LoginRateLimiter } from './cache/login-rate-limiter.js';
import type { ProfileCache } from './cache/profile-cache.js';
import type { SessionsRepository } from './db/sessions-repository.js';
import type { UsersRepository } from './db/users-repository.js';
import type { FaultInjector } from './fault/fault-injector.js';
import type { Metrics } from './metrics/metrics.js';

/** Everything the HTTP layer needs, built by `main.ts` (or a test) and passed to `createApp`. */
export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  users: UsersRepository;
  sessions: SessionsRepository;
  hasher: PasswordHasher;
  tokens: TokenService;
  profiles: ProfileCache;
  leaderboard: LeaderboardCache;
  loginLimiter: LoginRateLimiter;
  fault: FaultInjector;
  /** Absent: the admin endpoints answer 404. */
  adminToken: string | undefined;
  health: {
    /** Rejects when MySQL does not answer. */
    mysql(): Promise<void>;
    redis(): boolean;
  };
}
