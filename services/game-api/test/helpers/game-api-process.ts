import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  type GameApiProcess,
  startGameApi as startGameApiProcess,
  startProcess,
} from '@game-load-lab/local-stack';
import { inject } from 'vitest';

export type { GameApiProcess };

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
/** The real entry point through tsx: the suite runs before (and without) game-api's own build. */
const NODE_ARGS = ['--import', 'tsx'];

/**
 * What a test's game-api process runs with: the test MySQL and Redis, Redis keys under a prefix
 * of its own (a new one per call), test secrets and the cheapest bcrypt.
 */
export function processTestEnv(): Record<string, string> {
  return {
    MYSQL_URL: inject('mysqlUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: 'process-test-secret-0123456789abcdef',
    PASSWORD_PEPPER: 'process-test-pepper-0123456789abcdef',
    BCRYPT_COST: '4',
    HASH_WORKERS: '1',
  };
}

/** Runs the real entry point as users do, on a free port; resolves once GET /readyz answers 200. */
export async function startGameApi(env: Record<string, string>): Promise<GameApiProcess> {
  return startGameApiProcess({
    entry: MAIN,
    nodeArgs: NODE_ARGS,
    env: { ...process.env, PORT: String(await freePort()), LOG_LEVEL: 'info', ...env },
  });
}

/** Runs the entry point to completion (for start-up failures): its exit code and output. */
export async function runGameApi(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const p = startProcess({
    name: 'game-api',
    command: process.execPath,
    args: [...NODE_ARGS, MAIN],
    env: { ...process.env, PORT: '0', ...env },
  });
  const code = await p.exited;
  return { code, output: await p.output() };
}

/** The log records (pino's JSON lines) game-api wrote so far, in order. */
export async function logRecords(api: GameApiProcess): Promise<{ level: number; msg: string }[]> {
  return (await api.output())
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
}
