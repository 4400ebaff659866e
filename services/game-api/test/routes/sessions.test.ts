import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPlayer, type Player, playSession } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let alice: Player;
let bob: Player;
beforeAll(async () => {
  t = await createTestApp();
  [alice, bob] = await Promise.all([newPlayer(t.app, 'alice'), newPlayer(t.app, 'bob')]);
});
afterAll(() => t.close());

const sessionRow = (id: number) =>
  t.database.db.selectFrom('game_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('game sessions', () => {
  it('starts, scores and ends a session, durable in MySQL', async () => {
    const start = await request(t.app).post('/api/sessions').set(alice.auth).expect(201);
    expect(start.body).toEqual({ id: expect.any(Number), startedAt: expect.any(String) });
    const id = start.body.id as number;
    const s1 = await request(t.app)
      .post(`/api/sessions/${id}/score`)
      .set(alice.auth)
      .send({ points: 10 })
      .expect(200);
    expect(s1.body).toEqual({ id, score: 10 });
    const s2 = await request(t.app)
      .post(`/api/sessions/${id}/score`)
      .set(alice.auth)
      .send({ points: 5 })
      .expect(200);
    expect(s2.body.score).toBe(15);
    const end = await request(t.app).post(`/api/sessions/${id}/end`).set(alice.auth).expect(200);
    expect(end.body).toEqual({ id, score: 15, endedAt: expect.any(String) });
    const row = await sessionRow(id);
    expect(row.score).toBe(15);
    expect(row.ended_at).toBeInstanceOf(Date);
  });

  it('refuses to score or end a session that has ended', async () => {
    const id = await playSession(t.app, alice, [1]);
    const score = await request(t.app)
      .post(`/api/sessions/${id}/score`)
      .set(alice.auth)
      .send({ points: 1 })
      .expect(409);
    expect(score.body.error.code).toBe('session_ended');
    const end = await request(t.app).post(`/api/sessions/${id}/end`).set(alice.auth).expect(409);
    expect(end.body.error.code).toBe('session_ended');
    expect((await sessionRow(id)).score).toBe(1);
  });

  it("answers 404 for another player's session and for a missing one, and changes nothing", async () => {
    const start = await request(t.app).post('/api/sessions').set(alice.auth).expect(201);
    const id = start.body.id as number;
    const score = await request(t.app)
      .post(`/api/sessions/${id}/score`)
      .set(bob.auth)
      .send({ points: 7 })
      .expect(404);
    const end = await request(t.app).post(`/api/sessions/${id}/end`).set(bob.auth).expect(404);
    const missing = await request(t.app).post('/api/sessions/999999999/end').set(bob.auth).expect(404);
    expect(score.body).toEqual(missing.body);
    expect(end.body.error.code).toBe('not_found');
    const row = await sessionRow(id);
    expect(row.score).toBe(0);
    expect(row.ended_at).toBeNull();
  });

  it('ends a session once under concurrent end requests, counting its score once', async () => {
    const player = await newPlayer(t.app);
    const start = await request(t.app).post('/api/sessions').set(player.auth).expect(201);
    const id = start.body.id as number;
    await request(t.app).post(`/api/sessions/${id}/score`).set(player.auth).send({ points: 100 }).expect(200);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(t.app).post(`/api/sessions/${id}/end`).set(player.auth)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const me = await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(me.body.stats).toEqual({ sessions: 1, totalScore: 100, bestScore: 100 });
  });
});
