import type { ColumnType, Generated } from 'kysely';

/** Table types for kysely; the migrations in `migrations.ts` create exactly these. */
interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  sessions_played: Generated<number>;
  total_score: Generated<number>;
  best_score: Generated<number>;
}

interface GameSessionsTable {
  id: Generated<number>;
  user_id: number;
  score: Generated<number>;
  started_at: ColumnType<Date, Date | undefined, never>;
  ended_at: ColumnType<Date | null, never, Date>;
}

interface MatchesTable {
  id: string;
  created_at: Date;
  ended_at: Date;
}

interface MatchPlayersTable {
  match_id: string;
  user_id: number;
  score: number;
}

export interface Database {
  users: UsersTable;
  game_sessions: GameSessionsTable;
  matches: MatchesTable;
  match_players: MatchPlayersTable;
}
