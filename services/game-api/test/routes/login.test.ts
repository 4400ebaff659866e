import bcrypt from 'bcryptjs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEPPERED_PREFIX } from '../../src/auth/password-hasher.js';
import { newPlayer, PASSWORD, uniqueName } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: 3 });
});
afterAll(() => t.close());

describe('POST /api/login', () => {
  it('returns a token that opens the authenticated endpoints', async () => {
    const username = uniqueName();
    await request(t.app).post('/api/users').send({ username, password: PASSWORD }).expect(201);
    const res = await request(t.app).post('/api/login').send({ username, password: PASSWORD }).expect(200);
    expect(res.body).toEqual({ token: expect.any(String), expiresIn: 3600 });
    const me = await request(t.app)
      .get('/api/me')
      .set('Authorization', `Bearer ${res.body.token}`)
      .expect(200);
    expect(me.body.username).toBe(username);
  });

  it('answers an unknown user and a wrong password with the same 401', async () => {
    const player = await newPlayer(t.app);
    const unknown = await request(t.app)
      .post('/api/login')
      .send({ username: uniqueName(), password: PASSWORD });
    const wrong = await request(t.app)
      .post('/api/login')
      .send({ username: player.username, password: 'not-the-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error.code).toBe('invalid_credentials');
  });

  it('limits failed logins per username with 429 and Retry-After, without touching other players', async () => {
    const victim = await newPlayer(t.app);
    for (let i = 0; i < 3; i++) {
      await request(t.app)
        .post('/api/login')
        .send({ username: victim.username, password: 'guess-guess' })
        .expect(401);
    }
    const limited = await request(t.app)
      .post('/api/login')
      .send({ username: victim.username, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another player logs in as usual.
    const other = await newPlayer(t.app);
    await request(t.app)
      .post('/api/login')
      .send({ username: other.username, password: PASSWORD })
      .expect(200);
  });

  it('is not tripped by repeated successful logins (a load test logging in again and again)', async () => {
    const player = await newPlayer(t.app);
    for (let i = 0; i < 8; i++) {
      await request(t.app)
        .post('/api/login')
        .send({ username: player.username, password: PASSWORD })
        .expect(200);
    }
  });

  it('stores bcrypt over the peppered HMAC, never plain bcrypt of the password', async () => {
    const player = await newPlayer(t.app);
    const { password_hash } = await storedHash(player.username);
    expect(password_hash.startsWith(PEPPERED_PREFIX)).toBe(true);
    expect(await bcrypt.compare(PASSWORD, password_hash.slice(PEPPERED_PREFIX.length))).toBe(false);
  });

  it('still verifies a plain bcrypt hash from before the pre-hash, and upgrades it on login', async () => {
    const username = uniqueName('legacy');
    await t.deps.users.create(username, await bcrypt.hash(PASSWORD, 4));
    await request(t.app).post('/api/login').send({ username, password: 'not-the-password' }).expect(401);
    expect((await storedHash(username)).password_hash.startsWith('$2')).toBe(true);
    await request(t.app).post('/api/login').send({ username, password: PASSWORD }).expect(200);
    expect((await storedHash(username)).password_hash.startsWith(PEPPERED_PREFIX)).toBe(true);
    await request(t.app).post('/api/login').send({ username, password: PASSWORD }).expect(200);
    await request(t.app).post('/api/login').send({ username, password: 'not-the-password' }).expect(401);
  });
});

const storedHash = (username: string) =>
  t.database.db
    .selectFrom('users')
    .select('password_hash')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
