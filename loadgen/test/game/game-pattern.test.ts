import { join } from 'node:path';
import { waitFor } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import {
  loadJsonScenario,
  loadScenario,
  parseScenario,
  resolveRun,
} from '../../src/scenario/scenario-loader.js';
import { freshDatabase, type GameApiDb, type GameApiProcess, startGameApi } from '../helpers/game-api.js';

/** The game script (loadgen/scenarios/game.ts) with a tenth of its think time. */
const GAME_FAST = join(import.meta.dirname, '..', 'fixtures', 'game-fast.ts');

const GAME_ENDPOINTS = [
  'GET /api/leaderboard',
  'GET /api/me',
  'GET /api/users',
  'POST /api/login',
  'POST /api/sessions',
  'POST /api/sessions/:id/end',
  'POST /api/sessions/:id/score',
  'POST /api/users',
];

describe.each(['undici', 'lean'] as const)(
  'game pattern against the real game-api (MySQL + Redis), %s client',
  (httpClient) => {
    let db: GameApiDb;
    let api: GameApiProcess;
    let summary: Summary;

    beforeAll(async () => {
      db = freshDatabase();
      api = await startGameApi(db.url);
      // The game script, shortened: 6 players spawned at 3/s, 6 s, think time cut to a tenth so
      // every player goes round the loop several times.
      const config = resolveRun(await loadScenario(GAME_FAST), {
        target: api.url,
        users: 6,
        spawnRate: 3,
        durationSec: 6,
        testid: `game-pattern-${httpClient}`,
        httpClient,
      });
      config.gracefulStopSec = 3;
      summary = await runScenario(config);
      expect(summary.run.httpClient).toBe(httpClient);
      // Declared by the game script's builder, as every game preset's is.
      expect(summary.run.callPattern).toBe('game');
    });

    afterAll(async () => {
      await api?.stop();
      await db?.drop();
    });

    it('every step of the game loop succeeds, labelled by route template', () => {
      expect(summary.endpoints.map((e) => e.endpoint)).toEqual(GAME_ENDPOINTS);
      expect(summary.failures).toEqual([]);
      expect(summary.totals.errors).toBe(0);
      const count = (e: string) => summary.endpoints.find((x) => x.endpoint === e)?.count ?? 0;
      expect(count('POST /api/sessions/:id/score')).toBeGreaterThanOrEqual(
        2 * count('POST /api/sessions/:id/end'),
      );
      expect(summary.totals.iterations).toBeGreaterThan(6);
    });

    it('registers each player once and reuses the token (one login per user), both shown as setup', () => {
      const count = (e: string) => summary.endpoints.find((x) => x.endpoint === e)?.count ?? 0;
      const setup = summary.endpoints.filter((e) => e.setup === true).map((e) => e.endpoint);
      expect(setup).toEqual(['POST /api/login', 'POST /api/users']);
      expect(count('POST /api/users')).toBe(6);
      expect(count('POST /api/login')).toBe(6);
      expect(count('GET /api/me')).toBeGreaterThan(6);
    });

    it("the summary's counts match the API's own http_server_request_duration_seconds", () => {
      const server = summary.server;
      expect(server).toBeDefined();
      for (const e of summary.endpoints) {
        const route = server?.routes.find((r) => r.endpoint === e.endpoint);
        expect({ endpoint: e.endpoint, count: route?.count }).toEqual({
          endpoint: e.endpoint,
          count: e.count,
        });
        expect(route?.statusCounts).toEqual(e.statusCounts);
      }
      // The target's fault toggle was read from the gauge the game script names (off in this test).
      expect(summary.run.fault?.delayMs).toBe(0);
      expect(summary.run.resources?.mysql?.kind).toBe('pool');
      expect(summary.run.costs?.['GET /api/leaderboard']).toEqual({ redis: 5 });
    });

    it("counts the script's checks, and nothing failed in the script", () => {
      const ended = summary.endpoints.find((x) => x.endpoint === 'POST /api/sessions/:id/end')?.count;
      expect(summary.checks).toEqual([
        { label: 'session ended', passes: ended, fails: 0 },
        { label: 'session started', passes: expect.any(Number), fails: 0 },
      ]);
      expect(summary.totals.scriptErrors).toBeUndefined();
    });
  },
);

/** A counter of game-api's own request histogram, read from its /metrics. */
async function served(url: string, method: string, route: string, status: number): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('http_server_request_duration_seconds_count{') &&
        l.includes(`http_request_method="${method}"`) &&
        l.includes(`http_route="${route}"`) &&
        l.includes(`http_response_status_code="${status}"`),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const wait = (what: string) => ({ what, timeoutMs: 30_000, intervalMs: 50 });

describe('re-login on 401 (the API restarted with a new JWT secret)', () => {
  it('logs in again and carries on', async () => {
    const db = freshDatabase();
    let api = await startGameApi(db.url);
    const port = api.port;
    const stop = new AbortController();
    try {
      const config = resolveRun(await loadScenario(GAME_FAST), {
        target: api.url,
        users: 3,
        spawnRate: 10,
        durationSec: 60,
        testid: 'relogin-test',
      });
      config.gracefulStopSec = 2;
      const running = runScenario(config, { signal: stop.signal });
      // Every player is in its loop before the restart.
      const first = api.url;
      await waitFor(async () => (await served(first, 'POST', '/api/sessions', 201)) >= 3, wait('play'));
      await api.stop();
      api = await startGameApi(db.url, {
        PORT: String(port),
        JWT_SECRET: 'a-different-secret-0123456789abcdefghijkl',
      });
      // Each player meets a 401 with its old token, logs in again and goes on playing.
      const second = api.url;
      await waitFor(async () => (await served(second, 'POST', '/api/login', 200)) >= 3, wait('re-login'));
      await waitFor(
        async () => (await served(second, 'POST', '/api/sessions/:id/end', 200)) >= 3,
        wait('play on'),
      );
      stop.abort();
      const summary = await running;
      const count = (e: string) => summary.endpoints.find((x) => x.endpoint === e)?.count ?? 0;
      const unauthorized = summary.failures
        .filter((f) => f.kind === 'http_401')
        .reduce((a, f) => a + f.count, 0);
      expect(unauthorized).toBeGreaterThanOrEqual(3);
      expect(count('POST /api/login')).toBe(3 + (await served(second, 'POST', '/api/login', 200)));
      expect(count('POST /api/users')).toBe(3);
      // The failures are the restart's: refused connections and the old tokens' 401s, nothing else.
      for (const f of summary.failures)
        expect(f.kind).toMatch(/^(http_401|connection_refused|connection_reset|other)$/);
    } finally {
      stop.abort();
      await api.stop();
      await db.drop();
    }
  });
});

describe('a JSON scenario with "setup": "game-player"', () => {
  it('registers and logs in a player per user, whose token the steps send', async () => {
    const db = freshDatabase();
    const api = await startGameApi(db.url);
    try {
      const scenario = parseScenario(
        {
          name: 'json-game-player',
          setup: 'game-player',
          steps: [{ request: 'GET /api/me' }],
          think: 0.05,
          model: { type: 'closed', users: 3, spawnRate: 100 },
          duration: 1,
        },
        'json-game-player',
      );
      const config = resolveRun(await loadJsonScenario(scenario, 'json-game-player.json'), {
        target: api.url,
        testid: 'json-game-player',
      });
      config.gracefulStopSec = 2;
      const summary = await runScenario(config);
      const count = (e: string) => summary.endpoints.find((x) => x.endpoint === e)?.count ?? 0;
      expect(summary.failures).toEqual([]);
      expect([count('POST /api/users'), count('POST /api/login')]).toEqual([3, 3]);
      expect(count('GET /api/me')).toBeGreaterThan(3);
    } finally {
      await api.stop();
      await db.drop();
    }
  });
});
