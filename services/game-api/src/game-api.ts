import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import { createPasswordHasher } from './auth/password-hasher.js';
import { TokenService } from './auth/token-service.js';
import { LeaderboardCache, type LeaderboardTuning } from './cache/leaderboard-cache.js';
import { LoginRateLimiter } from './cache/login-rate-limiter.js';
import { ProfileCache } from './cache/profile-cache.js';
import { connectRedis, createRedis, isRedisReady } from './cache/redis-client.js';
import { type Config, ConfigError } from './config.js';
import { createDatabase, type DatabaseHandle, ensureDatabaseExists } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { SessionsRepository } from './db/sessions-repository.js';
import { UsersRepository } from './db/users-repository.js';
import { FaultInjector } from './fault/fault-injector.js';
import { createMetrics } from './metrics/metrics.js';

export interface GameApi {
  app: Express;
  deps: AppDeps;
  database: DatabaseHandle;
  redis: Redis;
  /** Waits for background work (a leaderboard rebuild), then closes the hash pool, MySQL and Redis. */
  close(): Promise<void>;
}

/** Start-up's first step: creates the database when missing and applies pending migrations. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  await ensureDatabaseExists(config.mysqlUrl);
  const database = createDatabase(config.mysqlUrl, 1);
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } finally {
    await database.close();
  }
}

/**
 * The whole dependency wiring of game-api, from a parsed `Config`: `main.ts` serves what this
 * returns and the tests build their app with it, so the two cannot drift apart. Opens no MySQL
 * connection itself (the pool connects on first use); `prepareDatabase` comes first.
 */
export async function buildGameApi(
  config: Config,
  { logger, leaderboard: tuning }: { logger: Logger; leaderboard?: LeaderboardTuning },
): Promise<GameApi> {
  const database = createDatabase(config.mysqlUrl, config.dbPoolSize, {
    acquireTimeoutMs: config.dbAcquireTimeoutMs,
    logger,
  });

  const metrics = createMetrics({ poolStats: database.poolStats });
  const users = new UsersRepository(database.db);
  let leaderboard: LeaderboardCache | undefined;
  const redis = createRedis({
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    logger,
    // Updates may have been missed while Redis was away: rebuild the leaderboard on next read.
    onReconnect: () => void leaderboard?.invalidate(),
  });
  await connectRedis(redis, logger);
  leaderboard = new LeaderboardCache(redis, users, metrics, logger, tuning);
  const hasher = createPasswordHasher({
    workers: config.hashWorkers,
    cost: config.bcryptCost,
    pepper: config.passwordPepper,
  });
  const fault = new FaultInjector(config.fault, database.db, metrics, logger);

  const deps: AppDeps = {
    logger,
    metrics,
    users,
    sessions: new SessionsRepository(database.db),
    hasher,
    tokens: new TokenService(config.jwtSecret, config.jwtTtlSeconds),
    profiles: new ProfileCache(redis, metrics),
    leaderboard,
    loginLimiter: new LoginRateLimiter(redis, {
      perUsername: config.loginRateLimit,
      perAddress: config.loginAddressRateLimit,
      windowSeconds: config.loginRateWindowSeconds,
    }),
    fault,
    adminToken: config.adminToken,
    health: {
      mysql: async () => {
        await sql`SELECT 1`.execute(database.db);
      },
      redis: () => isRedisReady(redis),
    },
  };
  const app = createApp(deps);
  const built = leaderboard;
  const close = async () => {
    await Promise.allSettled([built.settled(), hasher.close()]);
    await Promise.allSettled([database.close(), redis.quit()]);
  };
  // The fault points exist once the routes are built; an unknown BOTTLENECK_ROUTE is a bad setting.
  if (!fault.routes.includes(config.fault.route)) {
    await close();
    throw new ConfigError(
      `BOTTLENECK_ROUTE=${JSON.stringify(config.fault.route)}: unknown route; one of ${fault.routes.join(', ')}`,
    );
  }
  return { app, deps, database, redis, close };
}
