import { sql } from 'kysely';
import { pino } from 'pino';
import { createApp } from './app.js';
import { createPasswordHasher } from './auth/password-hasher.js';
import { TokenService } from './auth/token-service.js';
import { LeaderboardCache } from './cache/leaderboard-cache.js';
import { LoginRateLimiter } from './cache/login-rate-limiter.js';
import { ProfileCache } from './cache/profile-cache.js';
import { connectRedis, createRedis, isRedisReady } from './cache/redis-client.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase, ensureDatabaseExists } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { SessionsRepository } from './db/sessions-repository.js';
import { UsersRepository } from './db/users-repository.js';
import { FaultInjector } from './fault/fault-injector.js';
import { createMetrics } from './metrics/metrics.js';
import { listen } from './server.js';

/** In-flight requests get this long after SIGTERM/SIGINT before connections are cut. */
const SHUTDOWN_GRACE_MS = 8000;

/** The composition root: reads the environment once, builds every dependency, serves. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`game-api: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'game-api' } });

  await ensureDatabaseExists(config.mysqlUrl);
  const database = createDatabase(config.mysqlUrl, config.dbPoolSize, {
    acquireTimeoutMs: config.dbAcquireTimeoutMs,
    logger,
  });
  const applied = await migrateToLatest(database.db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

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
  leaderboard = new LeaderboardCache(redis, users, metrics, logger);
  const hasher = createPasswordHasher({ workers: config.hashWorkers, cost: config.bcryptCost });
  const fault = new FaultInjector(config.fault, database.db, metrics, logger);

  const app = createApp({
    logger,
    metrics,
    users,
    sessions: new SessionsRepository(database.db),
    hasher,
    tokens: new TokenService(config.jwtSecret, config.jwtTtlSeconds),
    profiles: new ProfileCache(redis, metrics),
    leaderboard,
    loginLimiter: new LoginRateLimiter(redis, config.loginRateLimit),
    fault,
    adminToken: config.adminToken,
    health: {
      mysql: async () => {
        await sql`SELECT 1`.execute(database.db);
      },
      redis: () => isRedisReady(redis),
    },
  });
  if (!fault.routes.includes(config.fault.route)) {
    process.stderr.write(
      `game-api: BOTTLENECK_ROUTE=${JSON.stringify(config.fault.route)}: unknown route; one of ${fault.routes.join(', ')}\n`,
    );
    process.exit(2);
  }

  const running = await listen(app, config.port);
  logger.info(
    { port: running.port, fault: fault.current, adminEndpoint: Boolean(config.adminToken) },
    'listening',
  );
  if (config.fault.delayMs > 0) logger.warn({ fault: fault.current }, 'fault injected at start-up');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    await running.close(SHUTDOWN_GRACE_MS);
    await Promise.allSettled([leaderboard?.settled(), hasher.close()]);
    await Promise.allSettled([database.close(), redis.quit()]);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`game-api: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
