import type { MysqlPool, MysqlPoolConnection } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';
import { DependencyUnavailableError } from '../errors.js';
import { isConnectionError } from './connection-errors.js';

/** What the wrapper reports, for the metrics and the availability log. */
interface PoolEvents {
  acquireTimedOut(): void;
  /** A connection attempt or a query failed because MySQL could not be reached. */
  unavailable(err: DependencyUnavailableError): void;
  /** A query succeeded. */
  answered(): void;
}

type Callback = (err: unknown, connection: MysqlPoolConnection) => void;

interface WaitQueue {
  _connectionQueue?: { length: number; get(i: number): unknown; removeOne(i: number): void };
}

/**
 * The pool kysely's MysqlDialect gets: mysql2's pool with the two things it lacks.
 *
 * - A bound on the wait for a connection. mysql2 queues `getConnection` without a time limit, so
 *   with every connection busy (a slow query, a server that accepts no more connections, a
 *   network that drops packets) requests would pile up for as long as that lasts. After
 *   `acquireTimeoutMs` the caller gets a DependencyUnavailableError instead.
 * - One classification of connection-level failures (see connection-errors.ts), on acquiring
 *   and on every query, into DependencyUnavailableError, so that no route or repository has to
 *   tell an outage from a defect.
 */
export function boundedPool(pool: Pool, acquireTimeoutMs: number, events: PoolEvents): MysqlPool {
  const classify = (err: unknown): unknown => {
    if (!isConnectionError(err)) return err;
    const unavailable = new DependencyUnavailableError(
      'mysql',
      `mysql unreachable: ${(err as Error).message}`,
      { cause: err },
    );
    events.unavailable(unavailable);
    return unavailable;
  };

  // One wrapper per raw connection: kysely keeps its own per-connection state keyed by it.
  const wrappers = new WeakMap<PoolConnection, MysqlPoolConnection>();
  const wrap = (raw: PoolConnection): MysqlPoolConnection => {
    let wrapper = wrappers.get(raw);
    if (!wrapper) {
      wrapper = {
        query(sql: string, parameters: unknown[], callback?: (err: unknown, result: never) => void) {
          // kysely's streamQuery (no callback) passes through unclassified: game-api never streams.
          if (!callback) return raw.query(sql, parameters);
          raw.query(sql, parameters, (err, result) => {
            if (err) return callback(classify(err), result as never);
            events.answered();
            callback(null, result as never);
          });
        },
        release: () => raw.release(),
      } as MysqlPoolConnection;
      wrappers.set(raw, wrapper);
    }
    return wrapper;
  };

  return {
    getConnection(callback: Callback) {
      let settled = false;
      const waiter = (err: NodeJS.ErrnoException | null, raw: PoolConnection) => {
        if (settled) {
          // The caller has already had its timeout: hand a late connection straight back, and
          // let a late failure still count towards the availability log.
          if (err) classify(err);
          else raw.release();
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (err) callback(classify(err), undefined as never);
        else callback(null, wrap(raw));
      };
      const timer = setTimeout(() => {
        settled = true;
        leaveQueue(pool, waiter);
        events.acquireTimedOut();
        callback(
          new DependencyUnavailableError('mysql', `no MySQL connection within ${acquireTimeoutMs} ms`),
          undefined as never,
        );
      }, acquireTimeoutMs);
      pool.getConnection(waiter);
    },
    end: (callback) => pool.end(callback),
  };
}

/**
 * Takes a timed-out waiter out of mysql2's wait queue (an internal, like the pool gauges read),
 * so it neither shows as waiting nor takes a connection it would only give back. Best effort:
 * when the waiter is not found there (mysql2's tracing wraps it) `waiter` releases what it gets.
 */
function leaveQueue(pool: Pool, waiter: unknown): void {
  const queue = (pool as unknown as WaitQueue)._connectionQueue;
  if (!queue) return;
  for (let i = 0; i < queue.length; i++) {
    if (queue.get(i) === waiter) {
      queue.removeOne(i);
      return;
    }
  }
}
