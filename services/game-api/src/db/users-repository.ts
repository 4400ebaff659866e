import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface UserProfile {
  id: number;
  username: string;
  createdAt: string;
  stats: { sessions: number; totalScore: number; bestScore: number };
}

export interface LeaderboardRow {
  userId: number;
  username: string;
  score: number;
}

const MYSQL_DUPLICATE_KEY = 'ER_DUP_ENTRY';

export class UsernameTakenError extends Error {}

export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(username: string, passwordHash: string): Promise<number> {
    try {
      const result = await this.db
        .insertInto('users')
        .values({ username, password_hash: passwordHash })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    } catch (err) {
      if ((err as { code?: string }).code === MYSQL_DUPLICATE_KEY) throw new UsernameTakenError(username);
      throw err;
    }
  }

  findCredentials(username: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'username', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
  }

  /** Replaces a password hash with one of the current scheme (see `PEPPERED_PREFIX`). */
  async updatePasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  async list(page: number, limit: number) {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'created_at'])
      .orderBy('id')
      .limit(limit)
      .offset((page - 1) * limit)
      .execute();
    return rows.map((r) => ({ id: r.id, username: r.username, createdAt: r.created_at.toISOString() }));
  }

  async profile(id: number): Promise<UserProfile | undefined> {
    const r = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'created_at', 'sessions_played', 'total_score', 'best_score'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      username: r.username,
      createdAt: r.created_at.toISOString(),
      stats: { sessions: r.sessions_played, totalScore: Number(r.total_score), bestScore: r.best_score },
    };
  }

  /** Players by total score, best first: the leaderboard's source of truth. */
  async topByScore(limit: number): Promise<LeaderboardRow[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'total_score'])
      .where('sessions_played', '>', 0)
      .orderBy('total_score', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ userId: r.id, username: r.username, score: Number(r.total_score) }));
  }

  /**
   * Players who have played, by id after `afterId` (keyset pagination): the leaderboard rebuild's
   * pages. Ids never change, so no player is skipped or read twice while scores change meanwhile.
   */
  async leaderboardPage(afterId: number, limit: number): Promise<LeaderboardRow[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'total_score'])
      .where('sessions_played', '>', 0)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ userId: r.id, username: r.username, score: Number(r.total_score) }));
  }
}
