import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPlayer, PASSWORD, playSession, uniqueName } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('POST /api/users', () => {
  it('registers a player and stores only a bcrypt hash of the peppered password', async () => {
    const username = uniqueName();
    const res = await request(t.app).post('/api/users').send({ username, password: PASSWORD }).expect(201);
    expect(res.body).toEqual({ id: expect.any(Number), username });
    const row = await t.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^hmac-sha256:\$2[aby]\$04\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('answers 409 for a taken username, whatever its case', async () => {
    const username = uniqueName('Case');
    await request(t.app).post('/api/users').send({ username, password: PASSWORD }).expect(201);
    const res = await request(t.app)
      .post('/api/users')
      .send({ username: username.toLowerCase(), password: PASSWORD })
      .expect(409);
    expect(res.body.error.code).toBe('username_taken');
  });
});

describe('GET /api/users', () => {
  it('pages through players in id order', async () => {
    const me = await newPlayer(t.app);
    const first = await request(t.app).get('/api/users?page=1&limit=2').set(me.auth).expect(200);
    expect(first.body.page).toBe(1);
    expect(first.body.limit).toBe(2);
    expect(first.body.users).toHaveLength(2);
    const second = await request(t.app).get('/api/users?page=2&limit=2').set(me.auth).expect(200);
    const ids = [...first.body.users, ...second.body.users].map((u: { id: number }) => u.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.body.users[0]).toEqual({
      id: expect.any(Number),
      username: expect.any(String),
      createdAt: expect.any(String),
    });
  });

  it('refuses a limit above 100', async () => {
    const me = await newPlayer(t.app);
    const res = await request(t.app).get('/api/users?limit=1000').set(me.auth).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('GET /api/me', () => {
  it('returns the profile, served from the cache the second time, fresh after a session ends', async () => {
    const me = await newPlayer(t.app);
    const hits = async () =>
      (await t.deps.metrics.cacheRequests.get()).values.find(
        (v) => v.labels.cache === 'profile' && v.labels.result === 'hit',
      )?.value ?? 0;
    const before = await request(t.app).get('/api/me').set(me.auth).expect(200);
    expect(before.body).toEqual({
      id: me.id,
      username: me.username,
      createdAt: expect.any(String),
      stats: { sessions: 0, totalScore: 0, bestScore: 0 },
    });
    const hitsBefore = await hits();
    await request(t.app).get('/api/me').set(me.auth).expect(200);
    expect(await hits()).toBe(hitsBefore + 1);

    await playSession(t.app, me, [30, 12]);
    const after = await request(t.app).get('/api/me').set(me.auth).expect(200);
    expect(after.body.stats).toEqual({ sessions: 1, totalScore: 42, bestScore: 42 });
  });
});
