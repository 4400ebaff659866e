import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

interface LoginRateLimits {
  /** Failed logins per username per window; 0 = no limit. */
  perUsername: number;
  /** Failed logins per client address per window, whatever the usernames; 0 = no limit. */
  perAddress: number;
  windowSeconds: number;
}

type LoginAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Login brute-force protection with rate-limiter-flexible's Redis store, after its "login
 * endpoint protection" pattern, with one change: a point is consumed atomically *before* the
 * password is compared, so concurrent guesses cannot all pass a check made before any of them
 * failed. A login that turns out right gives its points back (`succeeded`), so only failures
 * count: a load test with many players, or one player logging in again and again with the right
 * password, never trips it, while guessing one account's password (per username, from anywhere)
 * or many accounts' passwords (per client address) does.
 *
 * When Redis is unreachable the limits hold per process: each Redis limiter has an in-memory
 * insurance limiter with the same points and window, used at once while the connection is not
 * ready (no waiting for a timeout). With N processes an attacker gets at most N times the limit
 * during an outage, instead of unlimited guesses; what was counted in memory is not carried over
 * when Redis returns.
 */
export class LoginRateLimiter {
  private readonly byUsername: RateLimiterRedis | undefined;
  private readonly byAddress: RateLimiterRedis | undefined;

  constructor(redis: Redis, limits: LoginRateLimits) {
    const limiter = (keyPrefix: string, points: number) => {
      if (points === 0) return undefined;
      const duration = limits.windowSeconds;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
      });
    };
    this.byUsername = limiter('login-fail:user', limits.perUsername);
    this.byAddress = limiter('login-fail:addr', limits.perAddress);
  }

  /**
   * Takes one attempt from the address's and the username's allowance, or says how long to wait.
   * The address is checked first, so an address that is already refused does not use up the
   * allowance of the usernames it tries.
   */
  async attempt(username: string, address: string): Promise<LoginAttempt> {
    for (const [limiter, key] of this.keys(username, address)) {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    }
    return { allowed: true };
  }

  /** The password was right: the attempt does not count. */
  async succeeded(username: string, address: string): Promise<void> {
    await Promise.all(this.keys(username, address).map(([limiter, key]) => limiter.reward(key)));
  }

  private keys(username: string, address: string): [RateLimiterRedis, string][] {
    const keys: [RateLimiterRedis, string][] = [];
    if (this.byAddress) keys.push([this.byAddress, address]);
    if (this.byUsername) keys.push([this.byUsername, username.toLowerCase()]);
    return keys;
  }
}
