import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Schema migrations, applied in name order and recorded by kysely in `kysely_migration`, so
 * running them again (every start-up, `npm run migrate`) is a no-op. Never edit a shipped one:
 * add the next.
 */
const migrations: Record<string, Migration> = {
  '2026-11-22-001-users': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.unsigned().autoIncrement().primaryKey())
        .addColumn('username', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
        .addColumn('sessions_played', 'integer', (c) => c.unsigned().notNull().defaultTo(0))
        .addColumn('total_score', 'bigint', (c) => c.unsigned().notNull().defaultTo(0))
        .addColumn('best_score', 'integer', (c) => c.unsigned().notNull().defaultTo(0))
        .modifyEnd(sql`engine=InnoDB default charset=utf8mb4`)
        .execute();
      // The leaderboard's fallback and rebuild read players by total score.
      await db.schema
        .createIndex('users_total_score_idx')
        .ifNotExists()
        .on('users')
        .column('total_score')
        .execute();
    },
  },
  '2026-11-22-002-game-sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('game_sessions')
        .ifNotExists()
        .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
        .addColumn('user_id', 'integer', (c) =>
          c.unsigned().notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('score', 'integer', (c) => c.unsigned().notNull().defaultTo(0))
        .addColumn('started_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
        .addColumn('ended_at', sql`datetime(3)`)
        .modifyEnd(sql`engine=InnoDB default charset=utf8mb4`)
        .execute();
      await db.schema
        .createIndex('game_sessions_user_idx')
        .ifNotExists()
        .on('game_sessions')
        .column('user_id')
        .execute();
    },
  },
  '2026-11-25-003-matches': {
    async up(db: Kysely<unknown>) {
      // One row per ended match of the realtime channel (docs/realtime.md); the id is the
      // channel's own (a UUID), so a second end of the same match fails on the primary key.
      await db.schema
        .createTable('matches')
        .ifNotExists()
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull())
        .addColumn('ended_at', sql`datetime(3)`, (c) => c.notNull())
        .modifyEnd(sql`engine=InnoDB default charset=utf8mb4`)
        .execute();
      await db.schema
        .createTable('match_players')
        .ifNotExists()
        .addColumn('match_id', 'varchar(36)', (c) => c.notNull().references('matches.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) =>
          c.unsigned().notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('score', 'integer', (c) => c.unsigned().notNull())
        .addPrimaryKeyConstraint('match_players_pk', ['match_id', 'user_id'])
        .modifyEnd(sql`engine=InnoDB default charset=utf8mb4`)
        .execute();
      await db.schema
        .createIndex('match_players_user_idx')
        .ifNotExists()
        .on('match_players')
        .column('user_id')
        .execute();
    },
  },
};

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
