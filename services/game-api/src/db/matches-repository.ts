import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

interface MatchResult {
  userId: number;
  score: number;
}

interface RecordedPlayer {
  userId: number;
  username: string;
  /** The player's total over every session and match, after this one. */
  totalScore: number;
}

const MYSQL_DUPLICATE_KEY = 'ER_DUP_ENTRY';

/** The match was already written (its id is the primary key): it ends once. */
export class MatchAlreadyRecordedError extends Error {
  override name = 'MatchAlreadyRecordedError';
}

/** Ended matches of the realtime channel: the durable half of `end` (docs/realtime.md). */
export class MatchesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes the match, one row per player and each player's stats (a match counts as a session
   * played) in one transaction, so a failure leaves none of it written. Throws
   * `MatchAlreadyRecordedError` for a match id already recorded.
   */
  record(matchId: string, createdAt: Date, results: MatchResult[]): Promise<RecordedPlayer[]> {
    // Rows locked in one order: two matches sharing players commit without deadlocking.
    const ordered = [...results].sort((a, b) => a.userId - b.userId);
    return this.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('matches')
          .values({ id: matchId, created_at: createdAt, ended_at: new Date() })
          .execute();
        await trx
          .insertInto('match_players')
          .values(ordered.map((r) => ({ match_id: matchId, user_id: r.userId, score: r.score })))
          .execute();
        for (const r of ordered) {
          await trx
            .updateTable('users')
            .set({
              sessions_played: sql`sessions_played + 1`,
              total_score: sql`total_score + ${r.score}`,
              best_score: sql`GREATEST(best_score, ${r.score})`,
            })
            .where('id', '=', r.userId)
            .execute();
        }
        const users = await trx
          .selectFrom('users')
          .select(['id', 'username', 'total_score'])
          .where(
            'id',
            'in',
            ordered.map((r) => r.userId),
          )
          .execute();
        return users.map((u) => ({ userId: u.id, username: u.username, totalScore: Number(u.total_score) }));
      })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === MYSQL_DUPLICATE_KEY) {
          throw new MatchAlreadyRecordedError(`match ${matchId} is already recorded`);
        }
        throw err;
      });
  }
}
