import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newPlayer, type Player, playSession } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let player: Player;
beforeAll(async () => {
  t = await createTestApp();
  player = await newPlayer(t.app, 'profile');
  await playSession(t.app, player, [10]);
});
afterAll(() => t.close());

describe('profile cache', () => {
  it('never stores a profile read before a session ended after that end invalidated it', async () => {
    // The read-through's MySQL read happens, then is held until the session has ended.
    const profile = t.deps.users.profile.bind(t.deps.users);
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let read!: () => void;
    const wasRead = new Promise<void>((r) => {
      read = r;
    });
    const spy = vi.spyOn(t.deps.users, 'profile').mockImplementationOnce(async (id) => {
      const stale = await profile(id);
      read();
      await released;
      return stale;
    });
    const slowRead = request(t.app)
      .get('/api/me')
      .set(player.auth)
      .then((r) => r); // supertest sends on then(): start it now
    await wasRead;
    await playSession(t.app, player, [25]); // ends: MySQL, then the invalidation
    release();
    expect((await slowRead).body.stats.totalScore).toBe(10); // what it read, before the end
    spy.mockRestore();

    const after = await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(after.body.stats).toEqual({ sessions: 2, totalScore: 35, bestScore: 25 });
    const again = await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(again.body.stats.totalScore).toBe(35);
  });

  it('serves the next read from the cache, and drops it when a session ends', async () => {
    const hits = async () =>
      (await t.deps.metrics.cacheRequests.get()).values.find(
        (v) => v.labels.cache === 'profile' && v.labels.result === 'hit',
      )?.value ?? 0;
    await request(t.app).get('/api/me').set(player.auth).expect(200);
    const before = await hits();
    const cached = await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(await hits()).toBe(before + 1);
    await playSession(t.app, player, [5]);
    const fresh = await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(fresh.body.stats.totalScore).toBe(cached.body.stats.totalScore + 5);
  });
});
