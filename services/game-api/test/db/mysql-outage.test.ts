import { randomBytes } from 'node:crypto';
import { waitFor } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DisposableMariaDb, disposableMariaDb } from '../helpers/disposable-mariadb.js';
import { type GameApiProcess, logRecords, startGameApi } from '../helpers/game-api-process.js';

// A MariaDB of this test's own (private data directory and port), stopped and started again
// mid-test under the real game-api process; the shared MariaDB is never touched.
let mariadb: DisposableMariaDb;
let api: GameApiProcess;

const PASSWORD = 'outage-password-123';
const ACQUIRE_TIMEOUT_MS = 1000;

beforeAll(async () => {
  mariadb = await disposableMariaDb();
  api = await startGameApi({
    MYSQL_URL: new URL('game_api_outage', mariadb.serverUrl).toString(),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: 'outage-test-secret-0123456789abcdef',
    PASSWORD_PEPPER: 'outage-test-pepper-0123456789abcdefgh',
    BCRYPT_COST: '4',
    HASH_WORKERS: '1',
    DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
  });
});
afterAll(async () => {
  await api?.stop();
  await mariadb?.dispose();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { error?: { code: string }; [k: string]: unknown };
}

async function call(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Answer['body'],
  };
}

const readyStatus = async () => (await fetch(`${api.url}/readyz`)).status;
const logged = async (msg: string) => (await logRecords(api)).filter((r) => r.msg === msg);

describe('MySQL stopped mid-test', () => {
  it('answers 503 unavailable with Retry-After while it is down, and 200 again once it is back', async () => {
    const username = `mo_${randomBytes(5).toString('hex')}`;
    expect((await call('POST', '/api/users', undefined, { username, password: PASSWORD })).status).toBe(201);
    const login = await call('POST', '/api/login', undefined, { username, password: PASSWORD });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const session = await call('POST', '/api/sessions', token);
    expect(session.status).toBe(201);
    const sessionId = session.body.id as number;
    expect(await readyStatus()).toBe(200);

    await mariadb.stop();
    await waitFor(async () => (await readyStatus()) === 503, { timeoutMs: 5000 });

    // Every route that needs MySQL (the profile and the leaderboard were never cached, so they
    // need it too) answers 503 with Retry-After, without waiting out anything long.
    const needMysql: [string, string, string | undefined, unknown][] = [
      ['POST', '/api/users', undefined, { username: `${username}x`, password: PASSWORD }],
      ['POST', '/api/login', undefined, { username, password: PASSWORD }],
      ['GET', '/api/users', token, undefined],
      ['GET', '/api/me', token, undefined],
      ['POST', '/api/sessions', token, undefined],
      ['POST', `/api/sessions/${sessionId}/score`, token, { points: 5 }],
      ['POST', `/api/sessions/${sessionId}/end`, token, undefined],
      ['GET', '/api/leaderboard', token, undefined],
    ];
    for (const [method, path, auth, body] of needMysql) {
      const started = Date.now();
      const res = await call(method, path, auth, body);
      expect({ route: `${method} ${path}`, status: res.status, code: res.body.error?.code }).toEqual({
        route: `${method} ${path}`,
        status: 503,
        code: 'unavailable',
      });
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(ACQUIRE_TIMEOUT_MS + 1000);
    }
    // Routes that do not need MySQL keep answering; the process is up.
    expect((await fetch(`${api.url}/livez`)).status).toBe(200);
    expect(api.running()).toBe(true);

    const restarted = Date.now();
    await mariadb.start();
    await waitFor(async () => (await readyStatus()) === 200, { timeoutMs: 5000 });
    // Each route answers again on the same process, within a few seconds of the restart.
    const end = await call('POST', `/api/sessions/${sessionId}/end`, token);
    expect(end.status).toBe(200);
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['GET', '/api/me'],
      ['GET', '/api/leaderboard'],
    ] as const) {
      expect((await call(method, path, token)).status).toBe(200);
    }
    expect((await call('POST', '/api/login', undefined, { username, password: PASSWORD })).status).toBe(200);
    expect((await call('POST', '/api/sessions', token)).status).toBe(201);
    expect(Date.now() - restarted).toBeLessThan(5000);

    // The outage is logged twice, when it starts and when it ends: no line per refused request.
    await waitFor(async () => (await logged('mysql available again')).length === 1, { timeoutMs: 2000 });
    const warnings = (await logRecords(api)).filter((r) => r.level >= 40).map((r) => r.msg);
    expect(warnings).toEqual([
      'mysql unavailable: requests that need it answer 503 until it is back',
      'mysql available again',
    ]);
  });
});
