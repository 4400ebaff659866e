import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { TestProject } from 'vitest/node';
import { createDatabase, splitMysqlUrl } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh, migrated database for this run (dropped afterwards). */
    mysqlUrl: string;
    /** The MySQL server without a database: for tests that create their own. */
    mysqlServerUrl: string;
    redisUrl: string;
  }
}

const HOW_TO =
  'game-api tests need real MySQL and Redis: export MYSQL_URL (e.g. mysql://root@127.0.0.1:3306) and ' +
  'REDIS_URL (e.g. redis://127.0.0.1:6379), or run a Docker engine so testcontainers can start them.';

interface Services {
  mysqlServerUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

async function fromEnvOrContainers(): Promise<Services> {
  const { MYSQL_URL, REDIS_URL } = process.env;
  if (MYSQL_URL && REDIS_URL) {
    return { mysqlServerUrl: splitMysqlUrl(MYSQL_URL).serverUrl, redisUrl: REDIS_URL, stop: async () => {} };
  }
  try {
    const [{ MySqlContainer }, { RedisContainer }] = await Promise.all([
      import('@testcontainers/mysql'),
      import('@testcontainers/redis'),
    ]);
    const [mysql, redis] = await Promise.all([
      new MySqlContainer('mysql:8.4').start(),
      new RedisContainer('redis:7-alpine').start(),
    ]);
    return {
      mysqlServerUrl: splitMysqlUrl(mysql.getConnectionUri(true)).serverUrl,
      redisUrl: redis.getConnectionUrl(),
      stop: async () => {
        await Promise.all([mysql.stop(), redis.stop()]);
      },
    };
  } catch (err) {
    throw new Error(`${HOW_TO} (testcontainers: ${err instanceof Error ? err.message : String(err)})`);
  }
}

export default async function setup(project: TestProject) {
  const services = await fromEnvOrContainers();
  const database = `game_api_test_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({ uri: services.mysqlServerUrl }).catch((err: Error) => {
    throw new Error(`cannot reach MySQL at ${services.mysqlServerUrl}: ${err.message}. ${HOW_TO}`);
  });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  const mysqlUrl = new URL(database, services.mysqlServerUrl).toString();
  const handle = createDatabase(mysqlUrl, 1);
  await migrateToLatest(handle.db);
  await handle.close();

  project.provide('mysqlUrl', mysqlUrl);
  project.provide('mysqlServerUrl', services.mysqlServerUrl);
  project.provide('redisUrl', services.redisUrl);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
    await services.stop();
  };
}
