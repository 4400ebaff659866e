import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPlayer, type Player, playSession } from '../helpers/players.js';
import { createTestApp, deleteKeys, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let players: Player[];
// Scores far above anything other test files post, so this file's players are the top three.
const TOTALS = [9_000, 7_000, 8_000];

beforeAll(async () => {
  t = await createTestApp();
  players = await Promise.all(TOTALS.map(() => newPlayer(t.app, 'lb')));
  for (const [i, p] of players.entries()) {
    const total = TOTALS[i]!;
    await playSession(
      t.app,
      p,
      Array.from({ length: total / 1000 }, () => 1000),
    );
  }
});
afterAll(() => t.close());

const top3 = async (auth: Player['auth']) =>
  (await request(t.app).get('/api/leaderboard?limit=3').set(auth).expect(200)).body.entries;

const expected = () => [
  { rank: 1, userId: players[0]!.id, username: players[0]!.username, score: 9_000 },
  { rank: 2, userId: players[2]!.id, username: players[2]!.username, score: 8_000 },
  { rank: 3, userId: players[1]!.id, username: players[1]!.username, score: 7_000 },
];

const cacheCount = async (result: string) =>
  (await t.deps.metrics.cacheRequests.get()).values.find(
    (v) => v.labels.cache === 'leaderboard' && v.labels.result === result,
  )?.value ?? 0;

describe('GET /api/leaderboard', () => {
  it('ranks players by total score', async () => {
    expect(await top3(players[0]!.auth)).toEqual(expected());
  });

  it('answers from MySQL when Redis lost the leaderboard, then serves it from the rebuilt set', async () => {
    await t.deps.leaderboard.settled();
    await request(t.app).get('/api/leaderboard?limit=3').set(players[0]!.auth).expect(200);
    // Redis restarts empty: every key of this app is gone.
    const { Redis } = await import('ioredis');
    const raw = new Redis((await import('vitest')).inject('redisUrl'));
    await deleteKeys(raw, `${t.redisKeyPrefix}*`);
    await raw.quit();

    const misses = await cacheCount('miss');
    expect(await top3(players[1]!.auth)).toEqual(expected());
    expect(await cacheCount('miss')).toBe(misses + 1);
    await t.deps.leaderboard.settled();
    const hits = await cacheCount('hit');
    expect(await top3(players[1]!.auth)).toEqual(expected());
    expect(await cacheCount('hit')).toBe(hits + 1);
  });

  it('validates limit', async () => {
    const res = await request(t.app).get('/api/leaderboard?limit=0').set(players[0]!.auth).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
