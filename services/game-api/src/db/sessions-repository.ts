import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** Upper bound of one session's score; keeps the unsigned int column far from overflow. */
export const MAX_SESSION_SCORE = 1_000_000;

type ScoreResult =
  | { kind: 'ok'; score: number }
  | { kind: 'not_found' }
  | { kind: 'ended' }
  | { kind: 'limit' };

type EndResult =
  | { kind: 'ok'; score: number; endedAt: Date; totalScore: number; username: string }
  | { kind: 'not_found' }
  | { kind: 'ended' };

export class SessionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async start(userId: number): Promise<{ id: number; startedAt: Date }> {
    const result = await this.db
      .insertInto('game_sessions')
      .values({ user_id: userId })
      .executeTakeFirstOrThrow();
    const id = Number(result.insertId);
    const row = await this.db
      .selectFrom('game_sessions')
      .select('started_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, startedAt: row.started_at };
  }

  /** Adds points to an open session owned by `userId`, in one conditional UPDATE. */
  async addScore(userId: number, sessionId: number, points: number): Promise<ScoreResult> {
    const update = await this.db
      .updateTable('game_sessions')
      .set({ score: sql`score + ${points}` })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .where(sql<boolean>`score + ${points} <= ${MAX_SESSION_SCORE}`)
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('game_sessions')
      .select(['score', 'ended_at'])
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return { kind: 'not_found' };
    if (Number(update.numUpdatedRows) === 1) return { kind: 'ok', score: row.score };
    return row.ended_at ? { kind: 'ended' } : { kind: 'limit' };
  }

  /**
   * Closes the session and folds its score into the player's stats in one transaction, so a
   * failure leaves neither half written.
   */
  end(userId: number, sessionId: number): Promise<EndResult> {
    return this.db.transaction().execute(async (trx) => {
      const session = await trx
        .selectFrom('game_sessions')
        .select(['score', 'ended_at'])
        .where('id', '=', sessionId)
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!session) return { kind: 'not_found' } as const;
      if (session.ended_at) return { kind: 'ended' } as const;
      const endedAt = new Date();
      await trx.updateTable('game_sessions').set({ ended_at: endedAt }).where('id', '=', sessionId).execute();
      await trx
        .updateTable('users')
        .set({
          sessions_played: sql`sessions_played + 1`,
          total_score: sql`total_score + ${session.score}`,
          best_score: sql`GREATEST(best_score, ${session.score})`,
        })
        .where('id', '=', userId)
        .execute();
      const user = await trx
        .selectFrom('users')
        .select(['total_score', 'username'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      return {
        kind: 'ok',
        score: session.score,
        endedAt,
        totalScore: Number(user.total_score),
        username: user.username,
      } as const;
    });
  }
}
