import { ConfigError, loadConfig } from './config.js';
import { createDatabase, ensureDatabaseExists } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';

/** `npm run migrate`: applies pending migrations to MYSQL_URL and exits (idempotent). */
async function migrate(): Promise<void> {
  const { mysqlUrl } = loadConfig({ NODE_ENV: 'development', ...process.env });
  await ensureDatabaseExists(mysqlUrl);
  const database = createDatabase(mysqlUrl, 1);
  try {
    const applied = await migrateToLatest(database.db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await database.close();
  }
}

migrate().catch((err: unknown) => {
  process.stderr.write(`migrate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
