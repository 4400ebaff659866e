import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LeaderboardRow, UsersRepository } from '../db/users-repository.js';
import { DependencyUnavailableError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';

const SCORES = 'lb:scores';
const NAMES = 'lb:names';
/** Present only while the sorted set is known to hold every player; absent = rebuild. */
const COMPLETE = 'lb:complete';
/** Bumped by every invalidation: a rebuild that saw it change is void. */
const GENERATION = 'lb:generation';
/** Held (value: the rebuild's token) while one instance of the fleet rebuilds. */
const REBUILD_LOCK = 'lb:rebuilding';
/** The set under construction; RENAMEd over SCORES when complete. */
const NEXT = 'lb:scores:next';

export interface LeaderboardTuning {
  /** Players read from MySQL per query while rebuilding. */
  batchSize: number;
  /** The rebuild lock's time to live; it is renewed every third of it while the rebuild runs. */
  lockTtlMs: number;
}

const DEFAULT_LEADERBOARD_TUNING: LeaderboardTuning = { batchSize: 1000, lockTtlMs: 30_000 };

interface LeaderboardEntry extends LeaderboardRow {
  rank: number;
}

// A player's total only ever grows (MySQL adds each ended session's score and nothing subtracts),
// so the newest total of a player is the largest one seen: every write is ZADD GT, and an older
// total read before a newer one was recorded can never overwrite it, whatever the order of arrival.

/** KEYS: scores, names, lock, next. ARGV: total, userId, username. */
const RECORD = `
redis.call('zadd', KEYS[1], 'GT', ARGV[1], ARGV[2])
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
if redis.call('exists', KEYS[3]) == 1 then
  redis.call('zadd', KEYS[4], 'GT', ARGV[1], ARGV[2])
end`;

/** KEYS: lock, next, generation. ARGV: token, ttl ms. Returns the generation, or false if busy. */
const BEGIN = `
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
redis.call('del', KEYS[2])
return redis.call('get', KEYS[3]) or '0'`;

/** KEYS: lock. ARGV: token, ttl ms. 1 while the lock is still ours. */
const RENEW = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('pexpire', KEYS[1], ARGV[2])`;

/**
 * KEYS: lock, generation, next, scores, complete. ARGV: token, generation at the start.
 * 1: swapped in and complete; 0: the lock was lost (another rebuild owns NEXT, left alone);
 * -1: invalidated meanwhile, so the new set is dropped and nothing is marked complete.
 */
const FINISH = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('del', KEYS[1])
if (redis.call('get', KEYS[2]) or '0') ~= ARGV[2] then
  redis.call('del', KEYS[3])
  return -1
end
if redis.call('exists', KEYS[3]) == 1 then
  redis.call('rename', KEYS[3], KEYS[4])
else
  redis.call('del', KEYS[4])
end
redis.call('set', KEYS[5], '1')
return 1`;

/** KEYS: lock, next. ARGV: token. Gives up a failed rebuild's lock and set, if still ours. */
const ABANDON = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('del', KEYS[1], KEYS[2])
return 1`;

type Scripted = Redis & {
  lbRecord(scores: string, names: string, lock: string, next: string, ...argv: string[]): Promise<unknown>;
  lbBegin(lock: string, next: string, generation: string, ...argv: string[]): Promise<string | null>;
  lbRenew(lock: string, ...argv: string[]): Promise<number>;
  lbFinish(
    lock: string,
    generation: string,
    next: string,
    scores: string,
    complete: string,
    ...argv: string[]
  ): Promise<number>;
  lbAbandon(lock: string, next: string, token: string): Promise<number>;
};

/**
 * The leaderboard as a Redis sorted set of total scores. MySQL is the source of truth: when the
 * set is not known complete (Redis restarted, flushed, or an update was lost while it was
 * unreachable) the top N is read from MySQL and the set is rebuilt from it in the background:
 * into a temporary key, paged by player id (a stable order, unlike the score order that changes
 * while it runs), with scores recorded meanwhile written to both sets, under a renewed lock, and
 * swapped in with one RENAME that also checks no invalidation arrived in between.
 */
export class LeaderboardCache {
  private rebuilding: Promise<void> | undefined;
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    private readonly users: UsersRepository,
    private readonly metrics: Pick<Metrics, 'recordCache'>,
    private readonly logger: Logger,
    private readonly tuning: LeaderboardTuning = DEFAULT_LEADERBOARD_TUNING,
  ) {
    redis.defineCommand('lbRecord', { numberOfKeys: 4, lua: RECORD });
    redis.defineCommand('lbBegin', { numberOfKeys: 3, lua: BEGIN });
    redis.defineCommand('lbRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('lbFinish', { numberOfKeys: 5, lua: FINISH });
    redis.defineCommand('lbAbandon', { numberOfKeys: 2, lua: ABANDON });
    this.redis = redis as Scripted;
  }

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
      await this.redis.lbRecord(
        SCORES,
        NAMES,
        REBUILD_LOCK,
        NEXT,
        String(totalScore),
        String(userId),
        username,
      );
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, userId },
        'leaderboard update skipped: redis unavailable',
      );
    }
  }

  /** Marks the set incomplete, also for a rebuild under way; the next read rebuilds it from MySQL. */
  async invalidate(): Promise<void> {
    await this.redis
      .multi()
      .incr(GENERATION)
      .del(COMPLETE)
      .exec()
      .catch(() => undefined);
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
    const token = randomUUID();
    const { lockTtlMs, batchSize } = this.tuning;
    // One instance rebuilds at a time across the fleet.
    const generation = await this.redis.lbBegin(REBUILD_LOCK, NEXT, GENERATION, token, String(lockTtlMs));
    if (generation === null) return;
    let lockLost = false;
    const renewal = setInterval(() => {
      this.redis
        .lbRenew(REBUILD_LOCK, token, String(lockTtlMs))
        .then((held) => {
          if (held !== 1) lockLost = true;
        })
        .catch(() => undefined); // Redis away: the lock may lapse; FINISH's check catches that.
    }, lockTtlMs / 3);
    renewal.unref();
    try {
      const started = Date.now();
      let count = 0;
      let afterId = 0;
      for (;;) {
        if (lockLost) throw new Error('rebuild lock lost to another instance');
        const rows = await this.users.leaderboardPage(afterId, batchSize);
        if (rows.length === 0) break;
        const pipeline = this.redis.pipeline();
        for (const r of rows) {
          pipeline.zadd(NEXT, 'GT', r.score, String(r.userId));
          pipeline.hset(NAMES, String(r.userId), r.username);
        }
        await pipeline.exec();
        count += rows.length;
        afterId = rows[rows.length - 1]!.userId;
        if (rows.length < batchSize) break;
      }
      clearInterval(renewal);
      const outcome = await this.redis.lbFinish(
        REBUILD_LOCK,
        GENERATION,
        NEXT,
        SCORES,
        COMPLETE,
        token,
        generation,
      );
      if (outcome === 1) {
        this.logger.info({ players: count, ms: Date.now() - started }, 'leaderboard rebuilt from MySQL');
      } else if (outcome === -1) {
        this.logger.info('leaderboard rebuild dropped: invalidated while it ran; the next read rebuilds');
      } else {
        this.logger.warn('leaderboard rebuild dropped: its lock expired and another instance took over');
      }
    } catch (err) {
      await this.redis.lbAbandon(REBUILD_LOCK, NEXT, token).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renewal);
    }
  }
}
