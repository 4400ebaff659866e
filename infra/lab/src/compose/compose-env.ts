import { readFile, writeFile } from 'node:fs/promises';
import { newAdminToken, readEnvFile } from '../config/admin-token.js';

export interface ComposeAdminToken {
  /** The `.env` compose reads beside docker-compose.yml. */
  file: string;
  /** created: a new token written; kept: the file had one; environment: ADMIN_TOKEN is set, which compose prefers. */
  outcome: 'created' | 'kept' | 'environment';
}

const tokenLine = /^[ \t]*(?:export[ \t]+)?ADMIN_TOKEN[ \t]*=.*$/m;

/**
 * `npm run lab:up`, before `docker compose up`: makes sure compose has an admin token for
 * game-api. docker-compose.yml has no default (it refuses to start without one), and compose
 * reads `.env` beside it by itself, as the run scripts do (config/admin-token.ts). A token set
 * in the environment is left to compose; the file's other lines are kept.
 */
export async function ensureComposeAdminToken(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<ComposeAdminToken> {
  if (env.ADMIN_TOKEN) return { file, outcome: 'environment' };
  if ((await readEnvFile(file)).ADMIN_TOKEN) return { file, outcome: 'kept' };
  const text = await readFile(file, 'utf8').catch(() => '');
  const line = `ADMIN_TOKEN=${newAdminToken()}`;
  const header = '# Written by npm run lab:up; read by docker compose and the run scripts. Git-ignored.\n';
  const next = tokenLine.test(text)
    ? text.replace(tokenLine, line)
    : `${text === '' ? header : text.endsWith('\n') ? text : `${text}\n`}${line}\n`;
  await writeFile(file, next, { mode: 0o600 });
  return { file, outcome: 'created' };
}
