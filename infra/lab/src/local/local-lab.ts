import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import {
  freePort,
  isSameProcess,
  type RunningProcess,
  startMariaDb,
  startPrometheus,
  startRedis,
  stopProcess,
} from '@game-load-lab/local-stack';
import { newAdminToken } from '../config/admin-token.js';
import { LabError, labErrorFrom } from '../errors.js';
import { repoRoot } from '../repo-paths.js';
import { checkoutRevision } from '../runs/checkout-revision.js';
import { gameApiPassthroughVars, startGameApi } from './game-api-server.js';
import { type LabProcess, type LabState, readLabState, removeLabState, writeLabState } from './lab-state.js';
import { localPrometheusConfig } from './prometheus-config.js';

interface LocalLabOptions {
  /** State, data and logs; default `.lab` at the repository root (gitignored). */
  dir: string;
  /** Scrape and rule evaluation interval of the local Prometheus (default 5s, as in compose). */
  scrapeInterval: string;
  /** Ports tried first; a taken one is replaced by a free one. 0 = any free port. */
  ports: { api: number; prometheus: number; loadgenMetrics: number };
  /**
   * The address game-api listens on: 127.0.0.1 by default, as for MariaDB, Redis and Prometheus,
   * so nothing else on the network reaches it (its PUT /admin/fault slows it down at will).
   */
  apiHost: string;
  /** The caller's environment: game-api settings (BCRYPT_COST, BOTTLENECK_*, ...) pass through. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export const defaultApiHost = '127.0.0.1';

/**
 * game-api's PASSWORD_PEPPER for this lab, kept beside the MySQL data it belongs to: a new one on
 * every start would make the players of earlier runs unable to log in. Purged with that data.
 */
async function labPepper(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  const pepper = randomBytes(32).toString('hex');
  await writeFile(file, `${pepper}\n`, { mode: 0o600 });
  return pepper;
}

/**
 * Starts MariaDB, Redis, game-api and Prometheus as local processes (no Docker), records them in
 * `<dir>/state.json` and returns what to point the npm scripts at. On failure it stops what it
 * started; data directories stay.
 */
export async function startLocalLab(o: LocalLabOptions): Promise<LabState> {
  if (isIP(o.apiHost) === 0) {
    throw new LabError(
      'LAB_BAD_INPUT',
      `game-api host: not an IP address: ${o.apiHost} (${defaultApiHost} by default; 0.0.0.0 for every interface)`,
    );
  }
  const existing = await readLabState(o.dir);
  const stillRunning = await Promise.all((existing?.processes ?? []).map(isSameProcess));
  if (existing !== undefined && stillRunning.some(Boolean)) {
    throw new LabError(
      'LAB_BAD_INPUT',
      `a local lab already runs from ${o.dir} (API ${existing.urls.api}); stop it with npm run lab:local:down`,
    );
  }
  await mkdir(`${o.dir}/logs`, { recursive: true });
  const started: LabProcess[] = [];
  // The state file keeps what names each process later; every lab process logs to a file.
  const track = (p: RunningProcess, port: number, host = '127.0.0.1') => {
    const { name, pid, command, logFile = '', startTime } = p;
    started.push({ name, pid, command, logFile, port, ...(startTime === undefined ? {} : { startTime }) });
    o.log(`  ${name.padEnd(10)} pid ${pid}, ${host}:${port} (log ${logFile})`);
  };
  const logFile = (name: string) => `${o.dir}/logs/${name}.log`;
  try {
    const mysqlPort = await freePort();
    o.log('starting MariaDB (first start initialises its data directory)');
    const mariadb = await startMariaDb({
      dir: `${o.dir}/mysql`,
      port: mysqlPort,
      logFile: logFile('mariadb'),
      settings: ['--innodb-buffer-pool-size=128M', '--max-connections=500'],
    });
    track(mariadb, mysqlPort);

    const redisPort = await freePort();
    o.log('starting Redis');
    const redis = await startRedis({ dir: `${o.dir}/redis`, port: redisPort, logFile: logFile('redis') });
    track(redis, redisPort);

    const apiPort = await freePort(o.ports.api);
    const mysqlUrl = `mysql://root@127.0.0.1:${mysqlPort}/game`;
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const passthrough: Record<string, string> = {};
    for (const name of gameApiPassthroughVars) {
      const value = o.env[name];
      if (value !== undefined && value !== '') passthrough[name] = value;
    }
    // game_api_build_info's revision: the checkout the lab's game-api build comes from.
    const revision = passthrough.BUILD_REVISION ?? (await checkoutRevision(repoRoot));
    if (revision !== undefined) passthrough.BUILD_REVISION = revision;
    o.log('starting game-api (creates and migrates the game database)');
    const adminToken = newAdminToken();
    const api = await startGameApi({
      host: o.apiHost,
      port: apiPort,
      mysqlUrl,
      redisUrl,
      adminToken,
      jwtSecret: randomBytes(32).toString('hex'),
      passwordPepper: await labPepper(`${o.dir}/mysql/password-pepper`),
      passthrough,
      logFile: logFile('game-api'),
      path: o.env.PATH,
    });
    track(api, apiPort, o.apiHost);
    // Where this machine reaches it: the host itself, or loopback when it listens everywhere.
    const apiUrl = api.url;

    const prometheusPort = await freePort(o.ports.prometheus);
    const loadgenMetricsPort = await freePort(o.ports.loadgenMetrics);
    const config = await localPrometheusConfig({
      targets: {
        'game-api': new URL(apiUrl).host,
        loadgen: `127.0.0.1:${loadgenMetricsPort}`,
        prometheus: `127.0.0.1:${prometheusPort}`,
      },
      scrapeInterval: o.scrapeInterval,
    });
    o.log(`starting Prometheus (scrape every ${o.scrapeInterval}, rules from prometheus/rules)`);
    const prometheus = await startPrometheus({
      dir: `${o.dir}/prometheus`,
      port: prometheusPort,
      configYaml: config,
      logFile: logFile('prometheus'),
    });
    track(prometheus, prometheusPort);

    const state: LabState = {
      dir: o.dir,
      startedAt: new Date().toISOString(),
      processes: started,
      urls: {
        api: apiUrl,
        prometheus: `http://127.0.0.1:${prometheusPort}`,
        loadgenMetrics: `http://127.0.0.1:${loadgenMetricsPort}/metrics`,
      },
      env: {
        TARGET_URL: apiUrl,
        ADMIN_TOKEN: adminToken,
        LOADGEN_METRICS_PORT: String(loadgenMetricsPort),
        // This lab's Prometheus scrapes loadgen on loopback: nothing else needs to reach it.
        LOADGEN_METRICS_HOST: '127.0.0.1',
        PROMETHEUS_URL: `http://127.0.0.1:${prometheusPort}`,
        MYSQL_URL: mysqlUrl,
        REDIS_URL: redisUrl,
      },
    };
    await writeLabState(state);
    return state;
  } catch (err) {
    for (const p of started.reverse()) await stopProcess(p);
    throw labErrorFrom(err);
  }
}

interface StopResult {
  name: string;
  pid: number;
  outcome: 'stopped' | 'not running';
}

/** Stops the processes recorded in `<dir>/state.json`, newest first; `purge` also deletes their data. */
export async function stopLocalLab(dir: string, purge = false): Promise<StopResult[]> {
  const state = await readLabState(dir);
  const results: StopResult[] = [];
  for (const p of [...(state?.processes ?? [])].reverse()) {
    results.push({ name: p.name, pid: p.pid, outcome: await stopProcess(p) });
  }
  await removeLabState(dir);
  if (purge) {
    for (const sub of ['mysql', 'redis', 'prometheus', 'logs'])
      await rm(`${dir}/${sub}`, { recursive: true, force: true });
  }
  return results;
}

export async function localLabStatus(
  dir: string,
): Promise<{ state: LabState; running: Record<string, boolean> } | undefined> {
  const state = await readLabState(dir);
  if (!state) return undefined;
  const running: Record<string, boolean> = {};
  for (const p of state.processes) running[p.name] = await isSameProcess(p);
  return { state, running };
}
