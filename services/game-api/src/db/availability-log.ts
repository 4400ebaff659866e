import type { Logger } from 'pino';

/**
 * Logs MySQL's reachability as it changes: one warning when it is lost, one when it is back
 * (with how long it was away and how many queries and connection attempts failed meanwhile). An outage makes every
 * request that needs MySQL fail; a line per request would bury the two lines that matter.
 */
export class AvailabilityLog {
  private lostAt: number | undefined;
  private failures = 0;

  constructor(private readonly logger: Logger) {}

  /** A query or connection attempt failed because MySQL could not be reached. */
  lost(err: Error): void {
    this.failures++;
    if (this.lostAt !== undefined) return;
    this.lostAt = Date.now();
    this.logger.warn(
      { dependency: 'mysql', err: err.message },
      'mysql unavailable: requests that need it answer 503 until it is back',
    );
  }

  /** A query succeeded: MySQL answers (called on every query, so it must stay cheap). */
  answered(): void {
    if (this.lostAt === undefined) return;
    const downMs = Date.now() - this.lostAt;
    this.logger.warn({ dependency: 'mysql', downMs, failures: this.failures }, 'mysql available again');
    this.lostAt = undefined;
    this.failures = 0;
  }
}
