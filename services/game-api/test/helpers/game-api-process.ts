import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface GameApiProcess {
  child: ChildProcess;
  url: string;
  stdout: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves with the first stdout line (already written or to come) that matches. */
  line(match: (line: string) => boolean): Promise<string>;
}

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

/** Runs the real entry point (`main.ts`, through tsx) as users do, on a free port. */
export async function startGameApi(env: Record<string, string>): Promise<GameApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const waiting: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        stdout.push(line);
        for (const w of waiting.filter((w) => w.match(line))) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(line);
        }
        if (line.includes('"msg":"listening"')) resolve(JSON.parse(line).port as number);
      }
    });
    exited.then((code) => reject(new Error(`game-api exited (${code}) before listening: ${stderr}`)));
  });
  const line = (match: (line: string) => boolean) =>
    new Promise<string>((resolve) => {
      const seen = stdout.find(match);
      if (seen !== undefined) resolve(seen);
      else waiting.push({ match, resolve });
    });
  return { child, url: `http://127.0.0.1:${port}`, stdout, exited, line };
}

/** Runs the entry point to completion (for start-up failures). */
export async function runGameApi(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stderr };
}
