import { Kysely, MysqlDialect } from 'kysely';
import { createPool, type Pool } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import type { Database } from './schema.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Connections in use, idle and requests waiting for one (read by the metrics gauges). */
  poolStats(): { inUse: number; idle: number; waiting: number };
  /** The pool's events: `enqueue` when a query has to wait for a free connection. */
  poolEvents: Pick<Pool, 'on' | 'once' | 'off'>;
  close(): Promise<void>;
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

export function createDatabase(mysqlUrl: string, poolSize: number): DatabaseHandle {
  const pool: Pool = createPool({
    uri: mysqlUrl,
    connectionLimit: poolSize,
    maxIdle: poolSize,
    waitForConnections: true,
    queueLimit: 0,
    connectTimeout: 5000,
    enableKeepAlive: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    timezone: 'Z',
    dateStrings: false,
  });
  const internals = pool as unknown as PoolInternals;
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  return {
    db,
    poolStats() {
      const all = internals._allConnections?.length ?? 0;
      const idle = internals._freeConnections?.length ?? 0;
      return { inUse: all - idle, idle, waiting: internals._connectionQueue?.length ?? 0 };
    },
    poolEvents: pool,
    close: () => db.destroy(),
  };
}
