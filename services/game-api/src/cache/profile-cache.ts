import type { Redis } from 'ioredis';
import type { UserProfile } from '../db/users-repository.js';
import type { Metrics } from '../metrics/metrics.js';

/** TTL bounds staleness should an invalidation be lost while Redis was unreachable. */
const PROFILE_TTL_SECONDS = 60;

/** Read-through cache for `GET /api/me`; invalidated when one of the player's sessions ends. */
export class ProfileCache {
  constructor(
    private readonly redis: Redis,
    private readonly metrics: Pick<Metrics, 'recordCache'>,
  ) {}

  async get(userId: number, load: () => Promise<UserProfile | undefined>): Promise<UserProfile | undefined> {
    const key = `profile:${userId}`;
    let cached: string | null = null;
    let redisUp = true;
    try {
      cached = await this.redis.get(key);
    } catch {
      redisUp = false;
    }
    if (cached !== null) {
      this.metrics.recordCache('profile', 'hit');
      return JSON.parse(cached) as UserProfile;
    }
    this.metrics.recordCache('profile', redisUp ? 'miss' : 'error');
    const profile = await load();
    if (profile && redisUp) {
      await this.redis.set(key, JSON.stringify(profile), 'EX', PROFILE_TTL_SECONDS).catch(() => undefined);
    }
    return profile;
  }

  async invalidate(userId: number): Promise<void> {
    await this.redis.del(`profile:${userId}`).catch(() => undefined);
  }
}
