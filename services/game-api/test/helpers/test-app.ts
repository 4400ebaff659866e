import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import type { AppDeps } from '../../src/app-deps.js';
import { createPasswordHasher } from '../../src/auth/password-hasher.js';
import { TokenService } from '../../src/auth/token-service.js';
import { LeaderboardCache } from '../../src/cache/leaderboard-cache.js';
import { LoginRateLimiter } from '../../src/cache/login-rate-limiter.js';
import { ProfileCache } from '../../src/cache/profile-cache.js';
import { connectRedis, createRedis, isRedisReady } from '../../src/cache/redis-client.js';
import type { FaultMode } from '../../src/config.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { SessionsRepository } from '../../src/db/sessions-repository.js';
import { UsersRepository } from '../../src/db/users-repository.js';
import { FaultInjector } from '../../src/fault/fault-injector.js';
import { createMetrics } from '../../src/metrics/metrics.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Deletes keys by pattern (patterns are not prefixed by ioredis, so this sees full names). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  await redis.eval("for _, k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end", 0, pattern);
}

export interface TestAppOptions {
  mysqlUrl?: string;
  redisUrl?: string;
  dbPoolSize?: number;
  dbAcquireTimeoutMs?: number;
  loginRateLimit?: number;
  adminToken?: string | undefined;
  fault?: { delayMs: number; route: string; mode: FaultMode };
  jwtTtlSeconds?: number;
}

export interface TestApp {
  app: Express;
  deps: AppDeps;
  database: DatabaseHandle;
  redisKeyPrefix: string;
  /** Every log line the app wrote, as parsed JSON objects and as raw text. */
  logs: { lines: string[] };
  close(): Promise<void>;
}

/**
 * Builds the app exactly as `main.ts` does, on the run's real MySQL database and a real Redis,
 * with its own Redis key prefix so test files never see each other's keys.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logs = { lines: [] as string[] };
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'trace' }, sink);
  const database = createDatabase(options.mysqlUrl ?? inject('mysqlUrl'), options.dbPoolSize ?? 5, {
    acquireTimeoutMs: options.dbAcquireTimeoutMs,
    logger,
  });
  const metrics = createMetrics({ poolStats: database.poolStats });
  const users = new UsersRepository(database.db);
  const redisKeyPrefix = `test:${randomUUID()}:`;
  let leaderboard: LeaderboardCache | undefined;
  const redis = createRedis({
    url: options.redisUrl ?? inject('redisUrl'),
    keyPrefix: redisKeyPrefix,
    logger,
    onReconnect: () => void leaderboard?.invalidate(),
  });
  await connectRedis(redis, logger);
  leaderboard = new LeaderboardCache(redis, users, metrics, logger);
  const hasher = createPasswordHasher({ workers: 1, cost: 4 });
  const fault = new FaultInjector(
    options.fault ?? { delayMs: 0, route: 'GET /api/users', mode: 'app' },
    database.db,
    metrics,
    logger,
  );
  const deps: AppDeps = {
    logger,
    metrics,
    users,
    sessions: new SessionsRepository(database.db),
    hasher,
    tokens: new TokenService(TEST_SECRET, options.jwtTtlSeconds ?? 3600),
    profiles: new ProfileCache(redis, metrics),
    leaderboard,
    loginLimiter: new LoginRateLimiter(redis, options.loginRateLimit ?? 10),
    fault,
    adminToken: 'adminToken' in options ? options.adminToken : TEST_ADMIN_TOKEN,
    health: {
      mysql: async () => {
        await sql`SELECT 1`.execute(database.db);
      },
      redis: () => isRedisReady(redis),
    },
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    database,
    redisKeyPrefix,
    logs,
    async close() {
      await leaderboard?.settled();
      await deleteKeys(redis, `${redisKeyPrefix}*`).catch(() => undefined);
      await Promise.allSettled([hasher.close(), database.close(), redis.quit()]);
    },
  };
}
