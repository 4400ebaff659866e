import { Kysely, MysqlDialect } from 'kysely';
import { createPool, type Pool } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import type { Logger } from 'pino';
import { AvailabilityLog } from './availability-log.js';
import { boundedPool } from './bounded-pool.js';
import type { Database } from './schema.js';

/** How long a query waits for a pool connection before answering 503 (DB_ACQUIRE_TIMEOUT_MS). */
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 2000;

interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
  /** Waits for a connection that ran out of time since start-up (a running total). */
  acquireTimeouts: number;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Connections in use and idle, requests waiting for one, acquire timeouts (read by the metrics). */
  poolStats(): PoolStats;
  /** The pool's events: `enqueue` when a query has to wait for a free connection. */
  poolEvents: Pick<Pool, 'on' | 'once' | 'off'>;
  close(): Promise<void>;
}

interface DatabaseOptions {
  acquireTimeoutMs?: number;
  /** Where MySQL's loss and return are logged; without one they are not. */
  logger?: Logger;
}

interface PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

export function splitMysqlUrl(url: string): { serverUrl: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  u.pathname = '/';
  return { serverUrl: u.toString(), database };
}

/** Creates the database named in the URL when it does not exist yet (first start of the lab). */
export async function ensureDatabaseExists(mysqlUrl: string): Promise<void> {
  const { serverUrl, database } = splitMysqlUrl(mysqlUrl);
  const conn = await createConnection({ uri: serverUrl, connectTimeout: 5000 });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
  } finally {
    await conn.end();
  }
}

export function createDatabase(
  mysqlUrl: string,
  poolSize: number,
  { acquireTimeoutMs = DEFAULT_ACQUIRE_TIMEOUT_MS, logger }: DatabaseOptions = {},
): DatabaseHandle {
  const pool: Pool = createPool({
    uri: mysqlUrl,
    connectionLimit: poolSize,
    maxIdle: poolSize,
    waitForConnections: true,
    // No length limit: the wait is bounded in time instead (acquireTimeoutMs, bounded-pool.ts).
    queueLimit: 0,
    connectTimeout: 5000,
    enableKeepAlive: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    timezone: 'Z',
    dateStrings: false,
  });
  const internals = pool as unknown as PoolInternals;
  const availability = logger ? new AvailabilityLog(logger) : undefined;
  let acquireTimeouts = 0;
  const bounded = boundedPool(pool, acquireTimeoutMs, {
    acquireTimedOut: () => acquireTimeouts++,
    unavailable: (err) => availability?.lost(err),
    answered: () => availability?.answered(),
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool: bounded }) });
  return {
    db,
    poolStats() {
      const all = internals._allConnections?.length ?? 0;
      const idle = internals._freeConnections?.length ?? 0;
      return { inUse: all - idle, idle, waiting: internals._connectionQueue?.length ?? 0, acquireTimeouts };
    },
    poolEvents: pool,
    close: () => db.destroy(),
  };
}
