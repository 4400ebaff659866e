import type { Redis } from 'ioredis';

const WINDOW_SECONDS = 60;

/**
 * Per-username limit on failed logins (LOGIN_RATE_LIMIT per minute; 0 = off). Counting only
 * failures means a load test with many distinct players, or one player who logs in again and
 * again with the right password, never trips it, while guessing one account's password does.
 * Fails open when Redis is unavailable: a cache outage must not lock every player out.
 */
export class LoginRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
  ) {}

  /** Seconds until the username may try again, or 0 when it may try now. */
  async retryAfter(username: string): Promise<number> {
    if (this.limit === 0) return 0;
    try {
      const key = this.key(username);
      const [[, count], [, ttl]] = (await this.redis.multi().get(key).ttl(key).exec()) as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      return Number(count ?? 0) >= this.limit ? Math.max(1, ttl) : 0;
    } catch {
      return 0;
    }
  }

  async recordFailure(username: string): Promise<void> {
    if (this.limit === 0) return;
    const key = this.key(username);
    await this.redis
      .multi()
      .incr(key)
      .expire(key, WINDOW_SECONDS, 'NX')
      .exec()
      .catch(() => undefined);
  }

  async reset(username: string): Promise<void> {
    if (this.limit === 0) return;
    await this.redis.del(this.key(username)).catch(() => undefined);
  }

  private key(username: string): string {
    return `login-fail:${username.toLowerCase()}`;
  }
}
