import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { disposableRedis } from '../helpers/disposable-redis.js';
import { newPlayer, PASSWORD, uniqueName } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const LIMIT = 5;
const WINDOW_SECONDS = 2;

const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close();
});

async function app(options: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const t = await createTestApp(options);
  closing.push(() => t.close());
  return t;
}

const login = (t: TestApp, username: string, password: string) =>
  request(t.app).post('/api/login').send({ username, password });

/** 50 wrong guesses for one username at once; counts the password compares that really ran. */
async function storm(t: TestApp, username: string) {
  const verify = vi.spyOn(t.deps.hasher, 'verify');
  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, i) => login(t, username, `guess-${i}-wrong`)),
  );
  const compares = verify.mock.calls.length;
  verify.mockRestore();
  const count = (status: number) => responses.filter((r) => r.status === status).length;
  return { compares, unauthorized: count(401), limited: count(429), responses };
}

describe('login rate limit (per username and per client address)', () => {
  it('lets at most LOGIN_RATE_LIMIT of 50 concurrent wrong guesses reach bcrypt; the rest are 429', async () => {
    const t = await app({ loginRateLimit: LIMIT, loginRateWindowSeconds: WINDOW_SECONDS });
    const victim = await newPlayer(t.app, 'storm');
    const { compares, unauthorized, limited, responses } = await storm(t, victim.username);
    expect(compares).toBeLessThanOrEqual(LIMIT);
    expect(unauthorized).toBe(compares);
    expect(limited).toBe(50 - compares);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.body.error.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);

    // Within the window even the right password is refused; once it has passed it works.
    await login(t, victim.username, PASSWORD).expect(429);
    await sleep(retryAfter * 1000);
    await login(t, victim.username, PASSWORD).expect(200);
  });

  it('limits one client address guessing many usernames, and ignores a forged X-Forwarded-For', async () => {
    const t = await app({ loginRateLimit: 100, loginAddressRateLimit: LIMIT });
    const player = await newPlayer(t.app, 'addr');
    for (let i = 0; i < LIMIT; i++) await login(t, uniqueName('nobody'), PASSWORD).expect(401);
    await login(t, uniqueName('nobody'), PASSWORD).expect(429);
    await request(t.app)
      .post('/api/login')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ username: uniqueName('nobody'), password: PASSWORD })
      .expect(429);
    // The right password from that address is refused too until the window passes.
    await login(t, player.username, PASSWORD).expect(429);
  });

  it('gives a successful login its point back, so only failures count', async () => {
    const t = await app({ loginRateLimit: 2, loginAddressRateLimit: 2 });
    const player = await newPlayer(t.app, 'okay');
    await login(t, player.username, 'wrong-password').expect(401);
    for (let i = 0; i < 6; i++) await login(t, player.username, PASSWORD).expect(200);
    await login(t, player.username, 'wrong-password').expect(401);
    await login(t, player.username, PASSWORD).expect(429);
  });

  it('still limits per process from memory when Redis is down (it does not fail open)', async () => {
    const redis = await disposableRedis();
    closing.push(() => redis.dispose());
    const t = await app({ redisUrl: redis.url, loginRateLimit: LIMIT });
    const victim = await newPlayer(t.app, 'noredis');
    const closed = once(t.redis, 'close');
    await redis.stop();
    await closed;
    const { compares, unauthorized, limited } = await storm(t, victim.username);
    expect(compares).toBeLessThanOrEqual(LIMIT);
    expect(unauthorized).toBe(compares);
    expect(limited).toBe(50 - compares);
    await login(t, victim.username, PASSWORD).expect(429);
  });
});
