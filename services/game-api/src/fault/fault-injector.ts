import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestHandler } from 'express';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { FaultMode } from '../config.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';

export interface FaultState {
  delayMs: number;
  route: string;
  mode: FaultMode;
}

/**
 * The regression switch. Routes call `point('GET /api/users')` at a named point in their chain
 * (the match channel registers `WS move` and awaits `delay('WS move')`); when the fault targets
 * that point it adds `delayMs`:
 * - `app`: a timer in the handler (only the target route slows down);
 * - `db`: `SELECT SLEEP()` inside MySQL on a pool connection, so the pool really is held and
 *   other routes queue for connections when it runs out (the knock-on effect of a slow query).
 *
 * Emits `delay-start` once a delay holds what it holds (in `db` mode: a pool connection) and
 * `delay-end` when it is over, with the route, so an observer can follow a delay by events
 * instead of guessing with timers.
 */
export class FaultInjector extends EventEmitter<{ 'delay-start': [string]; 'delay-end': [string] }> {
  private state: FaultState;
  private readonly points = new Set<string>();

  constructor(
    initial: FaultState,
    private readonly db: Kysely<Database>,
    private readonly metrics: Pick<Metrics, 'faultDelay'>,
    private readonly logger: Logger,
  ) {
    super();
    this.state = { ...initial };
    this.publish();
  }

  get current(): FaultState {
    return { ...this.state };
  }

  /** Route keys that have a fault point (valid values of BOTTLENECK_ROUTE). */
  get routes(): string[] {
    return [...this.points].sort();
  }

  /** An Express fault point: the route's chain waits out `delay(route)` at this handler. */
  point(route: string): RequestHandler {
    this.register(route);
    return async (_req, _res, next) => {
      await this.delay(route);
      next();
    };
  }

  /**
   * Declares a fault point outside Express (the match channel's `WS move`), so BOTTLENECK_ROUTE
   * and the admin API accept it; the code at that point awaits `delay(point)`.
   */
  register(point: string): void {
    this.points.add(point);
  }

  /** Resolves at once unless the fault targets `point`; then after its delay (in its mode). */
  async delay(point: string): Promise<void> {
    const { delayMs, mode, route } = this.state;
    if (delayMs <= 0 || route !== point) return;
    const started = () => {
      this.logger.debug({ route, mode, delayMs }, 'fault delay started');
      this.emit('delay-start', route);
    };
    if (mode === 'db') {
      await this.db.connection().execute(async (conn) => {
        started();
        await sql`SELECT SLEEP(${delayMs / 1000})`.execute(conn);
      });
    } else {
      started();
      await sleep(delayMs);
    }
    this.emit('delay-end', route);
  }

  set(next: FaultState, source: string): FaultState {
    if (!this.points.has(next.route)) {
      throw new AppError('validation_failed', `unknown route "${next.route}"`, { routes: this.routes });
    }
    const previous = this.state;
    this.state = { ...next };
    this.publish();
    this.logger.warn(
      { fault: this.state, previous, source },
      next.delayMs > 0 ? 'fault injected' : 'fault cleared',
    );
    return this.current;
  }

  private publish(): void {
    this.metrics.faultDelay.reset();
    this.metrics.faultDelay.set({ route: this.state.route, mode: this.state.mode }, this.state.delayMs);
  }
}
