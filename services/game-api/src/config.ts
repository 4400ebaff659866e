import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_ACQUIRE_TIMEOUT_MS } from './db/database.js';

/**
 * Every setting game-api reads, parsed once at start-up by `loadConfig` (the README's
 * "Environment" table mirrors this schema). A bad value stops the process with a message that
 * names the variable.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const FAULT_MODES = ['app', 'db'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /**
   * The address to listen on. `0.0.0.0` (every interface) is what a server in a container needs;
   * a server on a shared machine (the local lab) is better on `127.0.0.1`.
   */
  HOST: z
    .string()
    .default('0.0.0.0')
    .refine(
      (v) => isIP(v) !== 0 || z.hostname().safeParse(v).success,
      'must be an IP address (0.0.0.0, 127.0.0.1, ::) or a host name',
    ),
  /** TCP port; 0 picks a free one (logged). */
  PORT: int(0, 65535).default(8000),
  /** mysql://user:pass@host:port/database — the database is created when missing. */
  MYSQL_URL: z
    .string()
    .default('mysql://root@127.0.0.1:3306/game_load_lab')
    .refine(
      (v) => /^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/.test(v),
      'must look like mysql://user[:pass]@host[:port]/database',
    ),
  DB_POOL_SIZE: int(1, 1000).default(10),
  /** How long a request waits for a pool connection before it answers 503 unavailable. */
  DB_ACQUIRE_TIMEOUT_MS: int(1, 600_000).default(DEFAULT_ACQUIRE_TIMEOUT_MS),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  /** Prefix for every Redis key, so several deployments (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().max(64).default('game:'),
  JWT_SECRET: z.string().optional(),
  /** HMAC-SHA-256 key passwords are pre-hashed with before bcrypt (the "pepper"). */
  PASSWORD_PEPPER: z.string().optional(),
  /** Token lifetime in seconds. */
  JWT_TTL: int(60, 30 * 24 * 3600).default(3600),
  BCRYPT_COST: int(4, 15).default(10),
  HASH_WORKERS: int(1, 64).default(Math.max(1, availableParallelism() - 1)),
  /** Failed logins allowed per username per window before 429; 0 disables the limit. */
  LOGIN_RATE_LIMIT: int(0, 1_000_000).default(10),
  /** Failed logins allowed per client address per window (any usernames); 0 disables it. */
  LOGIN_ADDRESS_RATE_LIMIT: int(0, 1_000_000).default(100),
  /** The login limits' window in seconds. */
  LOGIN_RATE_WINDOW: int(1, 86_400).default(60),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  BOTTLENECK_DELAY_MS: int(0, 600_000).default(0),
  BOTTLENECK_ROUTE: z
    .string()
    .default('GET /api/users')
    .refine(
      (v) => /^((GET|POST|PUT|DELETE|PATCH) \/\S*|WS [a-z_]+)$/.test(v),
      'must look like "GET /api/users" or "WS move"',
    ),
  BOTTLENECK_MODE: z.enum(FAULT_MODES).default('app'),
  /** The build's source revision (a git commit), shown as game_api_build_info's revision label. */
  BUILD_REVISION: z.string().max(100).optional(),
  /** The match channel (docs/realtime.md): how long a socket may stay unauthenticated. */
  WS_AUTH_TIMEOUT_MS: int(1, 600_000).default(5000),
  /** Players per match. */
  WS_MATCH_SIZE: int(2, 16).default(2),
  /** Ping interval; a socket that has not answered the previous ping by the next is closed. */
  WS_HEARTBEAT_MS: int(10, 3_600_000).default(30_000),
  /** Largest frame accepted; a larger one closes the socket with 1009. */
  WS_MAX_PAYLOAD: int(64, 16 * 1024 * 1024).default(4096),
  /** A socket whose unsent bytes pass this is a slow consumer and is closed with 4409. */
  WS_MAX_BUFFERED_BYTES: int(1024, 1024 * 1024 * 1024).default(1024 * 1024),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  mysqlUrl: string;
  dbPoolSize: number;
  dbAcquireTimeoutMs: number;
  redisUrl: string;
  redisKeyPrefix: string;
  jwtSecret: string;
  passwordPepper: string;
  jwtTtlSeconds: number;
  bcryptCost: number;
  hashWorkers: number;
  loginRateLimit: number;
  loginAddressRateLimit: number;
  loginRateWindowSeconds: number;
  adminToken: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  fault: { delayMs: number; route: string; mode: FaultMode };
  /** BUILD_REVISION, or `unknown`. */
  buildRevision: string;
  realtime: RealtimeConfig;
}

export interface RealtimeConfig {
  authTimeoutMs: number;
  matchSize: number;
  heartbeatMs: number;
  maxPayload: number;
  maxBufferedBytes: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Development-only secrets so `NODE_ENV=development npm run api` works without set-up. */
const DEV_SECRET = 'development-only-secret-do-not-use-in-production';
const DEV_PEPPER = 'development-only-pepper-do-not-use-in-production';
const MIN_SECRET_LENGTH = 32;

/**
 * A secret that must be set outside development. The pepper has no default derived from
 * JWT_SECRET on purpose: rotating the token secret must never make every password unverifiable.
 */
function requiredSecret(name: string, value: string | undefined, env: string, devValue: string): string {
  if (value === undefined) {
    if (env !== 'development') {
      throw new ConfigError(
        `${name} is required (at least ${MIN_SECRET_LENGTH} characters) unless NODE_ENV=development`,
      );
    }
    return devValue;
  }
  if (value.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${name} is too short: use at least ${MIN_SECRET_LENGTH} characters`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings count as unset, as a shell's `VAR=` usually means "default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`invalid environment: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const secret = requiredSecret('JWT_SECRET', e.JWT_SECRET, e.NODE_ENV, DEV_SECRET);
  const pepper = requiredSecret('PASSWORD_PEPPER', e.PASSWORD_PEPPER, e.NODE_ENV, DEV_PEPPER);
  if (pepper === secret) {
    throw new ConfigError('PASSWORD_PEPPER must differ from JWT_SECRET: they are rotated separately');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    mysqlUrl: e.MYSQL_URL,
    dbPoolSize: e.DB_POOL_SIZE,
    dbAcquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    jwtSecret: secret,
    passwordPepper: pepper,
    jwtTtlSeconds: e.JWT_TTL,
    bcryptCost: e.BCRYPT_COST,
    hashWorkers: e.HASH_WORKERS,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginAddressRateLimit: e.LOGIN_ADDRESS_RATE_LIMIT,
    loginRateWindowSeconds: e.LOGIN_RATE_WINDOW,
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    fault: { delayMs: e.BOTTLENECK_DELAY_MS, route: e.BOTTLENECK_ROUTE, mode: e.BOTTLENECK_MODE },
    buildRevision: e.BUILD_REVISION ?? 'unknown',
    realtime: {
      authTimeoutMs: e.WS_AUTH_TIMEOUT_MS,
      matchSize: e.WS_MATCH_SIZE,
      heartbeatMs: e.WS_HEARTBEAT_MS,
      maxPayload: e.WS_MAX_PAYLOAD,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
    },
  };
}
