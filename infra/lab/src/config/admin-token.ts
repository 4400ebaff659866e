import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';
import { isLoopbackHost } from './loopback-host.js';

/** game-api's admin token (PUT /admin/fault) and where it was found, for messages that say which one failed. */
export interface AdminToken {
  value: string;
  /** `your environment`, or the file it was read from. */
  from: string;
}

/**
 * A token of its own for each lab: 32 hex characters (game-api asks for at least 16). There is no
 * default token: anyone who reaches a game-api can slow it down with one.
 */
export const newAdminToken = (): string => randomBytes(16).toString('hex');

/** Where each lab keeps its token, said wherever a token is missing or wrong. */
export const whereAdminTokensAre =
  'the local lab writes its own to .lab/env (source .lab/env), the compose lab to .env beside ' +
  'docker-compose.yml (npm run lab:up creates it), on Kubernetes it is the game-api-admin Secret ' +
  '(docs/lab.md, "Distributed runs (Kubernetes)")';

/** The variables of a dotenv-style file (`K=v` or `export K="v"`), or none when it does not exist. */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  return parse(text);
}

/** The same game-api whether named localhost, 127.0.0.1 or [::1]: the port decides. */
export function sameLocalOrigin(a: string, b: string): boolean {
  const norm = (s: string) => {
    const u = new URL(s);
    return `${u.protocol}//${isLoopbackHost(u.hostname) ? 'loopback' : u.hostname}:${u.port}`;
  };
  return norm(a) === norm(b);
}

interface AdminTokenSources {
  /** The run's environment: ADMIN_TOKEN there always wins. */
  env: NodeJS.ProcessEnv;
  /** The game-api the run loads. */
  targetUrl: string;
  /** The local lab's `.lab/env`: its token counts only for the game-api that lab runs. */
  localLabEnvFile: string;
  /** The compose lab's `.env` beside docker-compose.yml. */
  composeEnvFile: string;
}

/**
 * The admin token for a run: ADMIN_TOKEN from the environment, else the local lab's when the run
 * targets that lab's game-api, else the compose lab's. Undefined when none is set anywhere.
 */
export async function findAdminToken(s: AdminTokenSources): Promise<AdminToken | undefined> {
  if (s.env.ADMIN_TOKEN) return { value: s.env.ADMIN_TOKEN, from: 'your environment' };
  const local = await readEnvFile(s.localLabEnvFile);
  if (local.ADMIN_TOKEN && local.TARGET_URL && sameLocalOrigin(local.TARGET_URL, s.targetUrl)) {
    return { value: local.ADMIN_TOKEN, from: s.localLabEnvFile };
  }
  const compose = await readEnvFile(s.composeEnvFile);
  if (compose.ADMIN_TOKEN) return { value: compose.ADMIN_TOKEN, from: s.composeEnvFile };
  return undefined;
}
