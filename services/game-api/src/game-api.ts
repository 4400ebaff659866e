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
import { MatchesRepository } from './db/matches-repository.js';
import { migrateToLatest } from './db/migrations.js';
import { SessionsRepository } from './db/sessions-repository.js';
import { UsersRepository } from './db/users-repository.js';
import { FaultInjector } from './fault/fault-injector.js';
import { createMetrics } from './metrics/metrics.js';
import { GAME_API_VERSION } from './package-version.js';
import { EventBus } from './realtime/event-bus.js';
import { MatchActions } from './realtime/match-actions.js';
import { MatchChannel } from './realtime/match-channel.js';
import { Matchmaker } from './realtime/matchmaker.js';

export interface GameApi {
  app: Express;
  deps: AppDeps;
  database: DatabaseHandle;
  redis: Redis;
  /** The WebSocket match channel; `attach` it to the listening HTTP server. */
  realtime: MatchChannel;
  /**
   * Closes the match channel's sockets (1001) and unsubscribes, waits for background work (a
   * leaderboard rebuild), then closes the hash pool, MySQL and Redis.
   */
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

  let matchmaker: Matchmaker | undefined;
  const metrics = createMetrics(
    {
      poolStats: database.poolStats,
      matchmakingQueueLength: async () => (matchmaker ? matchmaker.queueLength() : 0),
    },
    { version: GAME_API_VERSION, revision: config.buildRevision },
  );
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
  const tokens = new TokenService(config.jwtSecret, config.jwtTtlSeconds);
  const profiles = new ProfileCache(redis, metrics);

  const deps: AppDeps = {
    logger,
    metrics,
    users,
    sessions: new SessionsRepository(database.db),
    hasher,
    tokens,
    profiles,
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
  matchmaker = new Matchmaker(redis, config.realtime.matchSize, config.realtime.heartbeatMs, logger);
  const bus = new EventBus(redis, config.redisKeyPrefix, logger);
  const actions = new MatchActions({
    matchmaker,
    bus,
    matches: new MatchesRepository(database.db),
    leaderboard,
    profiles,
    fault,
    logger,
    deliverLocally: (event) => realtime.deliver(event),
  });
  const realtime = new MatchChannel({
    settings: config.realtime,
    tokens,
    actions,
    bus,
    presence: matchmaker,
    metrics,
    logger,
  });
  const built = leaderboard;
  const close = async () => {
    await realtime.close();
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
  const subscribed = realtime.start();
  // With Redis away at start-up the subscription completes when it comes back.
  if (isRedisReady(redis)) await subscribed;
  else subscribed.catch((err: Error) => logger.warn({ err: err.message }, 'event bus: subscribe failed'));
  return { app, deps, database, redis, realtime, close };
}
