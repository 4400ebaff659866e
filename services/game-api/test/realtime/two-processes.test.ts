import { waitFor } from '@game-load-lab/local-stack';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type GameApiProcess, processTestEnv, startGameApi } from '../helpers/game-api-process.js';
import { MatchClient, wsUrl } from '../helpers/match-client.js';
import { newPlayerAt, type Player } from '../helpers/players.js';

/** Two game-api processes sharing one MySQL database and one Redis key prefix, as a fleet would. */
let apis: GameApiProcess[] = [];
const clients: MatchClient[] = [];

let env: Record<string, string>;

beforeAll(async () => {
  env = processTestEnv();
  apis = await Promise.all([startGameApi(env), startGameApi(env)]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.drop()));
  for (const api of apis) api.kill('SIGKILL');
});

async function join(api: GameApiProcess, player: Player): Promise<MatchClient> {
  const client = await MatchClient.connect(wsUrl(api.url), player.token);
  clients.push(client);
  await client.next('welcome');
  return client;
}

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  const conn = await createConnection({ uri: inject('mysqlUrl') });
  try {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

describe('the match channel across two game-api processes', () => {
  it('matches players on different processes, delivers their moves, and makes the result durable', async () => {
    const [a, b] = apis as [GameApiProcess, GameApiProcess];
    const [pa, pb] = await Promise.all([newPlayerAt(a.url), newPlayerAt(b.url)]);
    const ca = await join(a, pa);
    const cb = await join(b, pb);
    await ca.request({ type: 'queue' }, 'queued');
    await cb.request({ type: 'queue' }, 'queued');
    const [ma, mb] = await Promise.all([ca.next('matched'), cb.next('matched')]);
    const matchId = ma.matchId as string;
    expect(mb.matchId).toBe(matchId);

    await ca.request({ type: 'move', matchId, points: 40 }, 'move_ack');
    expect(await cb.next('moved')).toMatchObject({ matchId, playerId: pa.id, points: 40 });
    await cb.request({ type: 'move', matchId, points: 25 }, 'move_ack');
    expect(await ca.next('moved')).toMatchObject({ matchId, playerId: pb.id, points: 25 });
    await ca.request({ type: 'move', matchId, points: 10 }, 'move_ack');
    await cb.next('moved');

    const [ended] = await Promise.all([
      cb.request({ type: 'end', id: 'fin', matchId }, 'ended'),
      ca.next('ended'),
    ]);
    expect(ended.id).toBe('fin');
    expect(ended.results).toEqual(
      expect.arrayContaining([
        { playerId: pa.id, score: 50 },
        { playerId: pb.id, score: 25 },
      ]),
    );

    const players = await query<{ user_id: number; score: number }>(
      'SELECT user_id, score FROM match_players WHERE match_id = ? ORDER BY user_id',
      [matchId],
    );
    expect(players).toEqual(
      [
        { user_id: pa.id, score: 50 },
        { user_id: pb.id, score: 25 },
      ].sort((x, y) => x.user_id - y.user_id),
    );
    const [match] = await query<{ ended_at: Date }>('SELECT ended_at FROM matches WHERE id = ?', [matchId]);
    expect(match?.ended_at).toBeInstanceOf(Date);
    const users = await query<{
      id: number;
      sessions_played: number;
      total_score: number;
      best_score: number;
    }>('SELECT id, sessions_played, total_score, best_score FROM users WHERE id IN (?, ?) ORDER BY id', [
      pa.id,
      pb.id,
    ]);
    expect(users.find((u) => u.id === pa.id)).toMatchObject({
      sessions_played: 1,
      total_score: 50,
      best_score: 50,
    });
    expect(users.find((u) => u.id === pb.id)).toMatchObject({
      sessions_played: 1,
      total_score: 25,
      best_score: 25,
    });

    // The leaderboard, read through the other process, has both totals.
    const res = await fetch(`${a.url}/api/leaderboard?limit=100`, { headers: pa.auth });
    const { entries } = (await res.json()) as { entries: { userId: number; score: number }[] };
    expect(entries).toContainEqual(expect.objectContaining({ userId: pa.id, score: 50 }));
    expect(entries).toContainEqual(expect.objectContaining({ userId: pb.id, score: 25 }));
  });

  it('loses no match in a reconnect storm: every socket dropped at once, all back and playing', async () => {
    const PLAYERS = 20;
    const players = await Promise.all(
      Array.from({ length: PLAYERS }, (_, i) => newPlayerAt(apis[i % 2]!.url, 'storm')),
    );
    /** Queues everyone, awaits their matches, and has each player move once with its own points. */
    const playRound = async (sockets: MatchClient[], points: (i: number) => number) => {
      await Promise.all(sockets.map((s) => s.request({ type: 'queue' }, 'queued')));
      const matched = await Promise.all(sockets.map((s) => s.next('matched')));
      await Promise.all(
        sockets.map((s, i) =>
          s.request({ type: 'move', matchId: matched[i]!.matchId, points: points(i) }, 'move_ack'),
        ),
      );
      await Promise.all(sockets.map((s) => s.next('moved')));
      return matched.map((m) => m.matchId as string);
    };

    let sockets = await Promise.all(players.map((p, i) => join(apis[i % 2]!, p)));
    const firstMatches = await playRound(sockets, (i) => 1 + (i % 10));
    expect(new Set(firstMatches).size).toBe(PLAYERS / 2);

    // The storm: every connection cut at once, without a close frame.
    await Promise.all(sockets.map((s) => s.drop()));
    // Everyone comes back, on the other process this time.
    sockets = await Promise.all(players.map((p, i) => join(apis[(i + 1) % 2]!, p)));
    // The first matches are still open in Redis: one player of each ends it from the new socket.
    const enders = new Map<string, number>();
    firstMatches.forEach((m, i) => {
      if (!enders.has(m)) enders.set(m, i);
    });
    await Promise.all(
      [...enders].map(([matchId, i]) => sockets[i]!.request({ type: 'end', matchId }, 'ended')),
    );
    const enderIndexes = new Set(enders.values());
    await Promise.all(sockets.filter((_, i) => !enderIndexes.has(i)).map((s) => s.next('ended')));
    // And they play another round, ended at once as well.
    const secondMatches = await playRound(sockets, (i) => 20 + (i % 10));
    const secondEnders = new Map<string, number>();
    secondMatches.forEach((m, i) => {
      if (!secondEnders.has(m)) secondEnders.set(m, i);
    });
    await Promise.all(
      [...secondEnders].map(([matchId, i]) => sockets[i]!.request({ type: 'end', matchId }, 'ended')),
    );

    const ids = [...new Set([...firstMatches, ...secondMatches])];
    expect(ids).toHaveLength(PLAYERS);
    const rows = await query<{ match_id: string; user_id: number; score: number }>(
      `SELECT match_id, user_id, score FROM match_players WHERE match_id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    expect(rows).toHaveLength(PLAYERS * 2);
    for (const [i, p] of players.entries()) {
      expect(rows).toContainEqual({ match_id: firstMatches[i], user_id: p.id, score: 1 + (i % 10) });
      expect(rows).toContainEqual({ match_id: secondMatches[i], user_id: p.id, score: 20 + (i % 10) });
    }
    const stats = await query<{ id: number; sessions_played: number; total_score: number }>(
      `SELECT id, sessions_played, total_score FROM users WHERE id IN (${players.map(() => '?').join(',')})`,
      players.map((p) => p.id),
    );
    for (const [i, p] of players.entries()) {
      expect(stats.find((s) => s.id === p.id)).toMatchObject({
        sessions_played: 2,
        total_score: 1 + (i % 10) + 20 + (i % 10),
      });
    }
  });

  it("pairs no player with a ghost: a killed process's queued player is dropped, and can queue again", async () => {
    const [a] = apis as [GameApiProcess];
    // A third process with a short heartbeat: its presence in Redis lasts 3 x 300 ms.
    const c = await startGameApi({ ...env, WS_HEARTBEAT_MS: '300' });
    const ghost = await newPlayerAt(c.url);
    const onC = await join(c, ghost);
    await onC.request({ type: 'queue' }, 'queued');
    c.kill('SIGKILL'); // no shutdown: its queue entry stays in Redis
    await c.exited;
    // Its presence key expires (an event in Redis, polled here), then its entry counts as dead.
    const redis = new Redis(inject('redisUrl'));
    try {
      await waitFor(async () => (await redis.keys(`${env.REDIS_KEY_PREFIX}mm:alive:*`)).length <= 2, {
        what: "the killed process's presence key expiring",
        timeoutMs: 20_000,
        intervalMs: 50,
      });
    } finally {
      redis.disconnect();
    }
    // The player comes back on A and queues: taken over, not "already_queued"...
    const back = await join(a, ghost);
    await back.request({ type: 'queue' }, 'queued');
    // ...and is matched on its live socket with the next player.
    const other = await newPlayerAt(a.url);
    const withOther = await join(a, other);
    await withOther.request({ type: 'queue' }, 'queued');
    const matched = await back.next('matched');
    expect((matched.players as { playerId: number }[]).map((p) => p.playerId).sort()).toEqual(
      [ghost.id, other.id].sort(),
    );
  });

  it('closes its sockets with 1001 on SIGTERM, takes its queued players out, and exits 0', async () => {
    const [a, b] = apis as [GameApiProcess, GameApiProcess];
    const queuedOnB = await join(b, await newPlayerAt(b.url));
    await queuedOnB.request({ type: 'queue' }, 'queued');
    b.kill('SIGTERM');
    expect((await queuedOnB.closed).code).toBe(1001);
    expect(await b.exited).toBe(0);
    // The shared queue no longer holds B's player: two players on A are matched with each other.
    const [p1, p2] = await Promise.all([newPlayerAt(a.url), newPlayerAt(a.url)]);
    const c1 = await join(a, p1);
    const c2 = await join(a, p2);
    await c1.request({ type: 'queue' }, 'queued');
    await c2.request({ type: 'queue' }, 'queued');
    const matched = await c1.next('matched');
    expect((matched.players as { playerId: number }[]).map((p) => p.playerId).sort()).toEqual(
      [p1.id, p2.id].sort(),
    );
  });
});
