import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newPlayer, type Player } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// One pool connection, held inside MySQL by the db-mode fault for HOLD_MS: every other request
// that needs MySQL has to wait for it, and ACQUIRE_TIMEOUT_MS bounds that wait.
const HOLD_MS = 1500;
const ACQUIRE_TIMEOUT_MS = 200;

let t: TestApp;
let p: Player;
beforeAll(async () => {
  t = await createTestApp({ dbPoolSize: 1, dbAcquireTimeoutMs: ACQUIRE_TIMEOUT_MS });
  p = await newPlayer(t.app);
});
afterEach(() => t.deps.fault.set({ delayMs: 0, route: 'GET /api/users', mode: 'app' }, 'test reset'));
afterAll(() => t.close());

const acquireTimeouts = async () => {
  const text = (await request(t.app).get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith('game_api_db_acquire_timeouts_total '));
  return Number(line?.split(' ')[1]);
};

describe('DB_ACQUIRE_TIMEOUT_MS', () => {
  it('answers 503 unavailable with Retry-After when no connection frees up in time, and counts it', async () => {
    expect(await acquireTimeouts()).toBe(0);
    t.deps.fault.set({ delayMs: HOLD_MS, route: 'GET /api/users', mode: 'db' }, 'test');
    // The pool's one connection is taken once the slow request acquires it (inside MySQL for HOLD_MS).
    const held = new Promise((resolve) => t.database.poolEvents.once('acquire', resolve));
    const slow = request(t.app)
      .get('/api/users')
      .set(p.auth)
      .then((r) => r);
    await held;
    expect(t.database.poolStats().inUse).toBe(1);

    const started = performance.now();
    const refused = await request(t.app).post('/api/sessions').set(p.auth);
    const waited = performance.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('unavailable');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(waited).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS * 0.9);
    expect(waited).toBeLessThan(HOLD_MS / 2);
    expect(await acquireTimeouts()).toBe(1);
    // The request that gave up no longer waits for a connection.
    expect(t.database.poolStats().waiting).toBe(0);

    expect((await slow).status).toBe(200);
    await request(t.app).post('/api/sessions').set(p.auth).expect(201);
    expect(await acquireTimeouts()).toBe(1);
    // A busy pool is not an outage: nothing is logged as MySQL being lost, nothing as an error.
    const levels = t.logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(levels.filter((l) => l.msg.startsWith('mysql unavailable'))).toEqual([]);
    expect(levels.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('keeps real defects a 500', async () => {
    // A query MySQL answers with an error is a bug to fix, not an outage to wait out.
    const list = t.deps.users.list;
    t.deps.users.list = async () => {
      await sql`SELECT * FROM no_such_table`.execute(t.database.db);
      return [];
    };
    try {
      const res = await request(t.app).get('/api/users').set(p.auth).expect(500);
      expect(res.body.error.code).toBe('internal');
      expect(res.headers['retry-after']).toBeUndefined();
    } finally {
      t.deps.users.list = list;
    }
  });
});
