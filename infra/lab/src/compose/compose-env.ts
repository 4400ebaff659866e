import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { newAdminToken, readEnvFile } from '../config/admin-token.js';

/**
 * The compose lab's secrets: none has a default in docker-compose.yml (a value in the repository
 * would be every lab's), so each lab gets its own. JWT_SECRET and PASSWORD_PEPPER: 64 hex
 * characters (game-api asks for at least 32, and two different values).
 */
const COMPOSE_SECRETS = {
  ADMIN_TOKEN: newAdminToken,
  JWT_SECRET: () => randomBytes(32).toString('hex'),
  PASSWORD_PEPPER: () => randomBytes(32).toString('hex'),
} as const;

type ComposeSecret = keyof typeof COMPOSE_SECRETS;

/** created: a new value written; kept: the file had one; environment: it is set there, which compose prefers. */
type SecretOutcome = 'created' | 'kept' | 'environment';

interface ComposeSecrets {
  /** The `.env` compose reads beside docker-compose.yml. */
  file: string;
  outcomes: Record<ComposeSecret, SecretOutcome>;
}

const lineOf = (name: string) => new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=.*$`, 'm');

/**
 * `npm run lab:up`, before `docker compose up`: makes sure compose has game-api's admin token,
 * JWT secret and password pepper. docker-compose.yml has no default for them (it refuses to start
 * without them), and compose reads `.env` beside it by itself, as the run scripts do
 * (config/admin-token.ts). A value set in the environment is left to compose; a value in the
 * file is kept (a new pepper would make every stored password unverifiable); the file's other
 * lines are kept.
 */
export async function ensureComposeSecrets(file: string, env: NodeJS.ProcessEnv): Promise<ComposeSecrets> {
  const present = await readEnvFile(file);
  let text = await readFile(file, 'utf8').catch(() => '');
  const original = text;
  const outcomes = {} as Record<ComposeSecret, SecretOutcome>;
  for (const [name, generate] of Object.entries(COMPOSE_SECRETS) as [ComposeSecret, () => string][]) {
    if (env[name]) outcomes[name] = 'environment';
    else if (present[name]) outcomes[name] = 'kept';
    else {
      const line = `${name}=${generate()}`;
      const header =
        '# Written by npm run lab:up; read by docker compose and the run scripts. Git-ignored.\n';
      text = lineOf(name).test(text)
        ? text.replace(lineOf(name), line)
        : `${text === '' ? header : text.endsWith('\n') ? text : `${text}\n`}${line}\n`;
      outcomes[name] = 'created';
    }
  }
  if (text !== original) await writeFile(file, text, { mode: 0o600 });
  return { file, outcomes };
}
