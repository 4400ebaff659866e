import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { inject } from 'vitest';

export interface FreshDatabase {
  /** mysql://…/name of a database that does not exist yet (game-api creates and migrates it). */
  url: string;
  drop(): Promise<void>;
}

/** A database name of a test file's own, for assertions that no other test file may disturb. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const serverUrl = inject('mysqlServerUrl');
  const name = `game_api_test_${randomBytes(4).toString('hex')}`;
  return {
    url: new URL(name, serverUrl).toString(),
    async drop() {
      const conn = await createConnection({ uri: serverUrl });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
