import { waitFor } from '@game-load-lab/local-stack';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DisposableRedis, disposableRedis } from '../helpers/disposable-redis.js';
import { newPlayer, type Player, playSession } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// A Redis of this test's own, stopped and started mid-test; the shared one is never touched.
let redis: DisposableRedis;
let t: TestApp;
let player: Player;

beforeAll(async () => {
  redis = await disposableRedis();
  t = await createTestApp({ redisUrl: redis.url });
  player = await newPlayer(t.app, 'outage');
  await playSession(t.app, player, [25]);
});
afterAll(async () => {
  await t.close();
  await redis.dispose();
});

describe('Redis stopped mid-test', () => {
  it('keeps serving from MySQL, reports degraded, and heals when Redis returns', async () => {
    expect((await request(t.app).get('/readyz').expect(200)).body.status).toBe('ready');
    await request(t.app).get('/api/me').set(player.auth).expect(200);

    await redis.stop();
    await waitFor(async () => (await request(t.app).get('/readyz')).body.status === 'degraded', {
      timeoutMs: 5000,
    });
    const ready = await request(t.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'degraded', checks: { mysql: 'up', redis: 'down' } });

    // Reads answer from MySQL, quickly (no hanging on the dead connection).
    const started = Date.now();
    const me = await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(me.body.stats.totalScore).toBe(25);
    const board = await request(t.app).get('/api/leaderboard?limit=100').set(player.auth).expect(200);
    expect(board.body.entries).toContainEqual(expect.objectContaining({ userId: player.id, score: 25 }));
    await request(t.app).get('/api/users').set(player.auth).expect(200);
    expect(Date.now() - started).toBeLessThan(5000);

    // Writes keep working too: MySQL is the source of truth; the login limiter counts in memory.
    const newcomer = await newPlayer(t.app, 'offline');
    await playSession(t.app, newcomer, [40]);
    const errors = (await t.deps.metrics.cacheRequests.get()).values.filter(
      (v) => v.labels.result === 'error',
    );
    expect(errors.reduce((n, v) => n + v.value, 0)).toBeGreaterThan(0);

    await redis.start();
    await waitFor(async () => (await request(t.app).get('/readyz')).body.status === 'ready', {
      timeoutMs: 10_000,
    });
    // The update made while Redis was away is on the leaderboard: it was rebuilt from MySQL.
    await waitFor(
      async () => {
        const res = await request(t.app).get('/api/leaderboard?limit=100').set(player.auth);
        return res.body.entries.some(
          (e: { userId: number; score: number }) => e.userId === newcomer.id && e.score === 40,
        );
      },
      { timeoutMs: 5000 },
    );
    await t.deps.leaderboard.settled();
    const hitsBefore =
      (await t.deps.metrics.cacheRequests.get()).values.find(
        (v) => v.labels.cache === 'leaderboard' && v.labels.result === 'hit',
      )?.value ?? 0;
    await request(t.app).get('/api/leaderboard').set(player.auth).expect(200);
    const hitsAfter =
      (await t.deps.metrics.cacheRequests.get()).values.find(
        (v) => v.labels.cache === 'leaderboard' && v.labels.result === 'hit',
      )?.value ?? 0;
    expect(hitsAfter).toBe(hitsBefore + 1);
  });
});
