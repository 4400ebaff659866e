import { access } from 'node:fs/promises';
import { type RunningProcess, startProcess, untilReady } from './managed-process.js';
import { StackError } from './stack-error.js';

export interface GameApiProcessOptions {
  /**
   * game-api's entry point: its build (`services/game-api/dist/main.js`), or its source
   * (`src/main.ts`) with `nodeArgs: ['--import', 'tsx']`. Given by the caller: this package
   * depends on no workspace.
   */
  entry: string;
  /**
   * Its whole environment, as given (README "Environment"): PORT is required, since readiness is
   * asked there; HOST, when it names one address, is where it is asked (default 127.0.0.1).
   */
  env: Record<string, string | undefined>;
  /** Node flags before the entry, e.g. `['--import', 'tsx']`. */
  nodeArgs?: string[];
  cwd?: string;
  /** Where its output goes; the process then outlives this one (see ProcessSpec.logFile). */
  logFile?: string;
  /** How long it may take to be ready; default 60 s. */
  timeoutMs?: number;
}

export interface GameApiProcess extends RunningProcess {
  /** http://<host>:<PORT>, where it was found ready. */
  url: string;
}

/** The address to reach a server bound to `host` from this machine. */
function reachableHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** game-api as a process of its own, ready when GET /readyz answers 200 (MySQL and Redis reachable). */
export async function startGameApi(o: GameApiProcessOptions): Promise<GameApiProcess> {
  const port = Number(o.env.PORT);
  if (!Number.isInteger(port) || port <= 0) {
    throw new StackError(
      'STACK_START_FAILED',
      `game-api: PORT=${o.env.PORT ?? ''} in its env: give the port it is to listen on (freePort())`,
    );
  }
  await access(o.entry).catch(() => {
    throw new StackError('STACK_TOOL_MISSING', `${o.entry} is missing: run npm run build first`);
  });
  const url = `http://${reachableHost(o.env.HOST)}:${port}`;
  const started = startProcess({
    name: 'game-api',
    command: process.execPath,
    args: [...(o.nodeArgs ?? []), o.entry],
    env: o.env,
    ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
    ...(o.logFile === undefined ? {} : { logFile: o.logFile }),
  });
  await untilReady(
    started,
    'ready (GET /readyz)',
    async () => (await fetch(`${url}/readyz`)).status === 200,
    o.timeoutMs,
  );
  return { ...started, url };
}
