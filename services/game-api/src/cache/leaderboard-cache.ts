import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LeaderboardRow, UsersRepository } from '../db/users-repository.js';
import { DependencyUnavailableError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';

const SCORES = 'lb:scores';
const NAMES = 'lb:names';
/** Present only while the sorted set is known to hold every player; absent = rebuild. */
const COMPLETE = 'lb:complete';
const REBUILD_LOCK = 'lb:rebuilding';
const REBUILD_BATCH = 1000;

export interface LeaderboardEntry extends LeaderboardRow {
  rank: number;
}

/**
 * The leaderboard as a Redis sorted set of total scores. MySQL is the source of truth: when the
 * set is missing (Redis restarted, flushed, or an update was lost while it was unreachable) the
 * top N is read from MySQL and the set is rebuilt from it in the background.
 */
export class LeaderboardCache {
  private rebuilding: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly users: UsersRepository,
    private readonly metrics: Pick<Metrics, 'recordCache'>,
    private readonly logger: Logger,
  ) {}

  async top(limit: number): Promise<LeaderboardEntry[]> {
    try {
      const [[, complete], [, flat]] = (await this.redis
        .multi()
        .exists(COMPLETE)
        .zrevrange(SCORES, 0, limit - 1, 'WITHSCORES')
        .exec()) as [[Error | null, number], [Error | null, string[]]];
      if (complete === 1) {
        this.metrics.recordCache('leaderboard', 'hit');
        const ids: string[] = [];
        const scores: number[] = [];
        for (let i = 0; i < flat.length; i += 2) {
          ids.push(flat[i]!);
          scores.push(Number(flat[i + 1]));
        }
        const names = ids.length ? await this.redis.hmget(NAMES, ...ids) : [];
        return ids.map((id, i) => ({
          rank: i + 1,
          userId: Number(id),
          username: names[i] ?? '',
          score: scores[i]!,
        }));
      }
      this.metrics.recordCache('leaderboard', 'miss');
      this.rebuildInBackground();
    } catch {
      this.metrics.recordCache('leaderboard', 'error');
    }
    const rows = await this.users.topByScore(limit);
    return rows.map((r, i) => ({ rank: i + 1, ...r }));
  }

  /** Records a player's new absolute total (so a missed update is corrected by the next one). */
  async record(userId: number, username: string, totalScore: number): Promise<void> {
    try {
      await this.redis
        .multi()
        .zadd(SCORES, totalScore, String(userId))
        .hset(NAMES, String(userId), username)
        .exec();
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, userId },
        'leaderboard update skipped: redis unavailable',
      );
    }
  }

  /** Marks the set incomplete; the next read rebuilds it from MySQL. */
  async invalidate(): Promise<void> {
    await this.redis.del(COMPLETE).catch(() => undefined);
  }

  /** Resolves when a rebuild started by a read has finished (tests and shutdown wait on it). */
  async settled(): Promise<void> {
    await this.rebuilding;
  }

  private rebuildInBackground(): void {
    if (this.rebuilding) return;
    this.rebuilding = this.rebuild()
      .catch((err: Error) => {
        // During a MySQL outage every read would retry and fail; the outage is logged once elsewhere.
        const level = err instanceof DependencyUnavailableError ? 'debug' : 'warn';
        this.logger[level]({ err: err.message }, 'leaderboard rebuild failed');
      })
      .finally(() => {
        this.rebuilding = undefined;
      });
  }

  private async rebuild(): Promise<void> {
    // One instance rebuilds at a time across the fleet.
    const locked = await this.redis.set(REBUILD_LOCK, '1', 'EX', 30, 'NX');
    if (locked !== 'OK') return;
    try {
      const started = Date.now();
      let offset = 0;
      let count = 0;
      await this.redis.del(SCORES, NAMES);
      for (;;) {
        const rows = await this.users.topByScore(REBUILD_BATCH, offset);
        if (rows.length === 0) break;
        const pipeline = this.redis.pipeline();
        for (const r of rows) {
          pipeline.zadd(SCORES, r.score, String(r.userId));
          pipeline.hset(NAMES, String(r.userId), r.username);
        }
        await pipeline.exec();
        count += rows.length;
        offset += rows.length;
        if (rows.length < REBUILD_BATCH) break;
      }
      await this.redis.set(COMPLETE, '1');
      this.logger.info({ players: count, ms: Date.now() - started }, 'leaderboard rebuilt from MySQL');
    } finally {
      await this.redis.del(REBUILD_LOCK).catch(() => undefined);
    }
  }
}
