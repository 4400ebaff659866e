import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
  /** Called when the connection comes back after a loss, so caches can drop what they missed. */
  onReconnect?: () => void;
}

/**
 * Redis is a cache here, never the source of truth, so the client fails fast instead of
 * queueing: no offline queue, a short command timeout and one retry. A request never hangs on
 * Redis; the caller falls back to MySQL. The client keeps reconnecting in the background.
 */
export function createRedis({ url, keyPrefix, logger, onReconnect }: RedisOptions): Redis {
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  });
  let lost = false;
  redis.on('error', (err: Error) => {
    if (!lost) logger.warn({ err: err.message }, 'redis unavailable; serving from MySQL');
    lost = true;
  });
  redis.on('close', () => {
    lost = true;
  });
  redis.on('ready', () => {
    if (lost) {
      logger.info('redis connection restored');
      lost = false;
      onReconnect?.();
    }
  });
  return redis;
}

/** Connects once at start-up; a Redis that is down then only degrades the service. */
export async function connectRedis(redis: Redis, logger: Logger): Promise<void> {
  try {
    await redis.connect();
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'redis not reachable at start-up; continuing degraded');
  }
}

export function isRedisReady(redis: Redis): boolean {
  return redis.status === 'ready';
}
