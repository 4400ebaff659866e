import type { Redis } from 'ioredis';
import type { UserProfile } from '../db/users-repository.js';
import type { Metrics } from '../metrics/metrics.js';

/** TTL bounds staleness should an invalidation be lost while Redis was unreachable. */
const PROFILE_TTL_SECONDS = 60;
/** Version counters outlive any cached profile, so a stale write can never meet a reset counter. */
const VERSION_TTL_SECONDS = 7 * 24 * 3600;

/**
 * KEYS: profile, version. ARGV: version read before loading, json, ttl. Writes the profile only if
 * no invalidation bumped the version since it was read: compare-and-set in one script.
 */
const STORE_IF_CURRENT = `
if (redis.call('get', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

type Scripted = Redis & {
  profileStoreIfCurrent(profile: string, version: string, ...argv: string[]): Promise<number>;
};

/**
 * Read-through cache for `GET /api/me`; invalidated when one of the player's sessions ends. A
 * read-through that loaded the profile before an invalidation must not store it after: each
 * invalidation bumps the player's version and deletes the entry in one transaction, and a
 * read-through stores its profile only if the version is still the one it saw before loading.
 */
export class ProfileCache {
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    private readonly metrics: Pick<Metrics, 'recordCache'>,
  ) {
    redis.defineCommand('profileStoreIfCurrent', { numberOfKeys: 2, lua: STORE_IF_CURRENT });
    this.redis = redis as Scripted;
  }

  async get(userId: number, load: () => Promise<UserProfile | undefined>): Promise<UserProfile | undefined> {
    const key = `profile:${userId}`;
    const versionKey = `profile-version:${userId}`;
    let cached: string | null = null;
    let version: string | undefined;
    try {
      const [[, value], [, seen]] = (await this.redis.multi().get(key).get(versionKey).exec()) as [
        [Error | null, string | null],
        [Error | null, string | null],
      ];
      cached = value;
      version = seen ?? '0';
    } catch {
      version = undefined;
    }
    if (cached !== null) {
      this.metrics.recordCache('profile', 'hit');
      return JSON.parse(cached) as UserProfile;
    }
    this.metrics.recordCache('profile', version === undefined ? 'error' : 'miss');
    const profile = await load();
    if (profile && version !== undefined) {
      await this.redis
        .profileStoreIfCurrent(key, versionKey, version, JSON.stringify(profile), String(PROFILE_TTL_SECONDS))
        .catch(() => undefined);
    }
    return profile;
  }

  async invalidate(userId: number): Promise<void> {
    const versionKey = `profile-version:${userId}`;
    await this.redis
      .multi()
      .incr(versionKey)
      .expire(versionKey, VERSION_TTL_SECONDS)
      .del(`profile:${userId}`)
      .exec()
      .catch(() => undefined);
  }
}
