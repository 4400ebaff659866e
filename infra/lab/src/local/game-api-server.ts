import { type GameApiProcess, startGameApi as startGameApiProcess } from '@game-load-lab/local-stack';
import { repoPath } from '../repo-paths.js';

interface GameApiOptions {
  /** game-api's HOST; default 127.0.0.1 here (game-api's own default, 0.0.0.0, is for containers). */
  host?: string;
  port: number;
  mysqlUrl: string;
  redisUrl: string;
  /** Empty: no admin endpoint (GET/PUT /admin/fault answer 404). */
  adminToken: string;
  jwtSecret: string;
  /** The password pre-hash key: must stay the same as long as the MySQL data it hashed does. */
  passwordPepper: string;
  /** Settings passed through from the caller's environment (BCRYPT_COST, BOTTLENECK_*, ...). */
  passthrough: Record<string, string>;
  logFile: string;
  /**
   * The PATH game-api runs with: the caller's, handed down from the lab's composition root
   * (src/cli.ts reads the environment; nothing below it does).
   */
  path: string | undefined;
}

const gameApiEntry = repoPath('services', 'game-api', 'dist', 'main.js');

/** The lab's game-api: its build, with the lab's settings, ready when GET /readyz answers 200. */
export async function startGameApi(o: GameApiOptions): Promise<GameApiProcess> {
  return startGameApiProcess({
    entry: gameApiEntry,
    env: {
      PATH: o.path,
      ...o.passthrough,
      HOST: o.host ?? '127.0.0.1',
      PORT: String(o.port),
      MYSQL_URL: o.mysqlUrl,
      REDIS_URL: o.redisUrl,
      ...(o.adminToken ? { ADMIN_TOKEN: o.adminToken } : {}),
      JWT_SECRET: o.jwtSecret,
      PASSWORD_PEPPER: o.passwordPepper,
    },
    logFile: o.logFile,
  });
}

/** game-api settings a user may set for the local lab, as for compose (README "Environment"). */
export const gameApiPassthroughVars = [
  'DB_POOL_SIZE',
  'DB_ACQUIRE_TIMEOUT_MS',
  'JWT_TTL',
  'BCRYPT_COST',
  'HASH_WORKERS',
  'LOGIN_RATE_LIMIT',
  'LOGIN_ADDRESS_RATE_LIMIT',
  'LOGIN_RATE_WINDOW',
  'LOG_LEVEL',
  'BOTTLENECK_DELAY_MS',
  'BOTTLENECK_ROUTE',
  'BOTTLENECK_MODE',
  'BUILD_REVISION',
] as const;
