import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { inject } from 'vitest';
import type { AppDeps } from '../../src/app-deps.js';
import type { LeaderboardTuning } from '../../src/cache/leaderboard-cache.js';
import { type FaultMode, loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { buildGameApi, prepareDatabase } from '../../src/game-api.js';
import type { MatchChannel } from '../../src/realtime/match-channel.js';
import { listen } from '../../src/server.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_PEPPER = 'test-pepper-that-is-long-enough-0123456789';

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
  loginAddressRateLimit?: number;
  loginRateWindowSeconds?: number;
  adminToken?: string | undefined;
  fault?: { delayMs: number; route: string; mode: FaultMode };
  jwtTtlSeconds?: number;
  /** Skip start-up's database step, for a MySQL that is unreachable from the start. */
  unreachableMysql?: boolean;
  /** Small pages and a short lock, for the rebuild's tests. */
  leaderboard?: LeaderboardTuning;
  /** The match channel's settings, as their WS_* variables (e.g. `{ WS_HEARTBEAT_MS: '50' }`). */
  ws?: Partial<
    Record<
      'WS_AUTH_TIMEOUT_MS' | 'WS_MATCH_SIZE' | 'WS_HEARTBEAT_MS' | 'WS_MAX_PAYLOAD' | 'WS_MAX_BUFFERED_BYTES',
      string
    >
  >;
}

export interface TestApp {
  app: Express;
  deps: AppDeps;
  database: DatabaseHandle;
  redis: Redis;
  redisKeyPrefix: string;
  realtime: MatchChannel;
  /** Every log line the app wrote, as parsed JSON objects and as raw text. */
  logs: { lines: string[] };
  /** Listens on a free port with the match channel attached, as `main.ts` does; once. */
  serve(): Promise<{ url: string }>;
  close(): Promise<void>;
}

/**
 * Builds the app with `buildGameApi`, the wiring `main.ts` serves, from an environment parsed by
 * the same `loadConfig`; on the run's real MySQL database and a real Redis, with its own Redis
 * key prefix so test files never see each other's keys.
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
  const redisKeyPrefix = `test:${randomUUID()}:`;
  const fault = options.fault ?? { delayMs: 0, route: 'GET /api/users', mode: 'app' };
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    MYSQL_URL: options.mysqlUrl ?? inject('mysqlUrl'),
    REDIS_URL: options.redisUrl ?? inject('redisUrl'),
    REDIS_KEY_PREFIX: redisKeyPrefix,
    DB_POOL_SIZE: String(options.dbPoolSize ?? 5),
    ...(options.dbAcquireTimeoutMs === undefined
      ? {}
      : { DB_ACQUIRE_TIMEOUT_MS: String(options.dbAcquireTimeoutMs) }),
    JWT_SECRET: TEST_SECRET,
    PASSWORD_PEPPER: TEST_PEPPER,
    JWT_TTL: String(options.jwtTtlSeconds ?? 3600),
    BCRYPT_COST: '4',
    HASH_WORKERS: '1',
    LOGIN_RATE_LIMIT: String(options.loginRateLimit ?? 10),
    LOGIN_ADDRESS_RATE_LIMIT: String(options.loginAddressRateLimit ?? 1000),
    LOGIN_RATE_WINDOW: String(options.loginRateWindowSeconds ?? 60),
    ADMIN_TOKEN: 'adminToken' in options ? options.adminToken : TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'trace',
    BOTTLENECK_DELAY_MS: String(fault.delayMs),
    BOTTLENECK_ROUTE: fault.route,
    BOTTLENECK_MODE: fault.mode,
    ...options.ws,
  };
  const config = loadConfig(env);
  if (!options.unreachableMysql) await prepareDatabase(config, logger);
  const api = await buildGameApi(config, { logger, leaderboard: options.leaderboard });
  let running: Awaited<ReturnType<typeof listen>> | undefined;
  return {
    app: api.app,
    deps: api.deps,
    database: api.database,
    redis: api.redis,
    realtime: api.realtime,
    redisKeyPrefix,
    logs,
    async serve() {
      if (!running) {
        running = await listen(api.app, 0);
        api.realtime.attach(running.server);
      }
      return { url: `http://127.0.0.1:${running.port}` };
    },
    async close() {
      await api.realtime.close();
      await running?.close(1000);
      await api.deps.leaderboard.settled();
      await deleteKeys(api.redis, `${redisKeyPrefix}*`).catch(() => undefined);
      await api.close();
    },
  };
}
