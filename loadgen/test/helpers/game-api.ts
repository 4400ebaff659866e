import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startGameApi as startGameApiProcess } from '@game-load-lab/local-stack';
import { afterAll, beforeAll } from 'vitest';

const ENTRY = join(import.meta.dirname, '..', '..', '..', 'services', 'game-api', 'dist', 'main.js');

export interface GameApiDb {
  /** mysql://.../<fresh db> for MYSQL_URL. */
  url: string;
  drop: () => Promise<void>;
}

/** Runs one statement with the mysql client against `url`'s server (and its database, if any); tab-separated rows. */
export async function mysqlQuery(url: string, statement: string): Promise<string> {
  const u = new URL(url);
  const database = u.pathname.slice(1);
  const { stdout } = await promisify(execFile)('mysql', [
    '--protocol=tcp',
    '-h',
    u.hostname,
    '-P',
    u.port || '3306',
    `-u${decodeURIComponent(u.username || 'root')}`,
    ...(u.password ? [`-p${decodeURIComponent(u.password)}`] : []),
    '-N',
    '-B',
    ...(database ? [database] : []),
    '-e',
    statement,
  ]);
  return stdout.trim();
}

/** A fresh database name on MYSQL_URL (CI: mysql://root@127.0.0.1:3306); game-api creates it. */
export function freshDatabase(): GameApiDb {
  const base = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  const db = `glab_loadgen_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    drop: async () => {
      const server = new URL(base);
      server.pathname = '/';
      await mysqlQuery(server.toString(), `DROP DATABASE IF EXISTS \`${db}\``);
    },
  };
}

export interface GameApiProcess {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Start the real game-api build (turbo builds it before loadgen's tests) on a free port (or
 * `env.PORT`) and wait until it is ready.
 */
export async function startGameApi(
  mysqlUrl: string,
  env: Record<string, string> = {},
): Promise<GameApiProcess> {
  const api = await startGameApiProcess({
    entry: ENTRY,
    env: {
      PATH: process.env.PATH,
      PORT: String(await freePort()),
      MYSQL_URL: mysqlUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      JWT_SECRET: 'loadgen-test-secret-0123456789abcdefghij',
      PASSWORD_PEPPER: 'loadgen-test-pepper-0123456789abcdefghij',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  return { url: api.url, port: Number(new URL(api.url).port), stop: () => api.stop() };
}

/**
 * A game-api on a fresh database for the calling describe block: started before its tests (and
 * before the block's own beforeAll, when called first), stopped and its database dropped after.
 */
export function gameApiForSuite(env: Record<string, string> = {}): { readonly url: string } {
  let db: GameApiDb | undefined;
  let api: GameApiProcess | undefined;
  beforeAll(async () => {
    db = freshDatabase();
    api = await startGameApi(db.url, env);
  }, 30_000);
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });
  return {
    get url() {
      if (api === undefined) throw new Error('game-api is not started yet: read url inside a hook or test');
      return api.url;
    },
  };
}
