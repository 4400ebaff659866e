import { once } from 'node:events';
import { connect } from 'node:net';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/token-service.js';
import { MatchClient, wsUrl } from '../helpers/match-client.js';
import { newPlayer, type Player } from '../helpers/players.js';
import { createTestApp, TEST_ADMIN_TOKEN, TEST_SECRET, type TestApp } from '../helpers/test-app.js';

const AUTH_TIMEOUT_MS = 300;
const MAX_PAYLOAD = 4096;

let t: TestApp;
let url: string;
const clients: MatchClient[] = [];

/** Connects `player` (authenticated in the handshake unless told otherwise) and awaits welcome. */
async function join(player: Player, auth: 'protocol' | 'message' = 'protocol'): Promise<MatchClient> {
  const client = await MatchClient.connect(url, player.token, { auth });
  clients.push(client);
  await client.next('welcome');
  return client;
}

/** Two new players, queued on their own sockets until matched with each other. */
async function matchedPair(): Promise<{
  a: MatchClient;
  b: MatchClient;
  pa: Player;
  pb: Player;
  matchId: string;
}> {
  const [pa, pb] = await Promise.all([newPlayer(t.app), newPlayer(t.app)]);
  const a = await join(pa);
  const b = await join(pb);
  await a.request({ type: 'queue', id: 'qa' }, 'queued');
  await b.request({ type: 'queue', id: 'qb' }, 'queued');
  const [ma, mb] = await Promise.all([a.next('matched'), b.next('matched')]);
  expect(ma.matchId).toBe(mb.matchId);
  return { a, b, pa, pb, matchId: ma.matchId as string };
}

function signed(claims: object, options: jwt.SignOptions, secret = TEST_SECRET): string {
  return jwt.sign(claims, secret, {
    algorithm: 'HS256',
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    ...options,
  });
}

beforeAll(async () => {
  t = await createTestApp({ ws: { WS_AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS) } });
  url = wsUrl((await t.serve()).url);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await t.close();
});

describe('match channel: authentication', () => {
  it('welcomes a player whose token comes in the handshake, selecting game.v1', async () => {
    const p = await newPlayer(t.app);
    const client = await MatchClient.connect(url, p.token);
    clients.push(client);
    const welcome = await client.next('welcome');
    expect(welcome).toMatchObject({ type: 'welcome', playerId: p.id, username: p.username });
    expect(Math.abs(Date.now() - (welcome.ts as number))).toBeLessThan(5000);
    expect(client.socket.protocol).toBe('game.v1');
  });

  it('accepts the token in a first auth message and echoes its id', async () => {
    const p = await newPlayer(t.app);
    const client = await MatchClient.connect(url, undefined, { auth: 'none' });
    clients.push(client);
    client.send({ type: 'auth', id: 1, token: p.token });
    expect(await client.next('welcome')).toMatchObject({ id: 1, playerId: p.id, username: p.username });
  });

  it('closes with 4401 for a forged, foreign or expired token, in the handshake or in auth', async () => {
    const p = await newPlayer(t.app);
    const expired = signed({ name: p.username }, { subject: String(p.id), expiresIn: -10 });
    const foreign = signed({ name: p.username }, { subject: String(p.id), expiresIn: 60 }, 'x'.repeat(40));
    for (const token of [expired, foreign, `${p.token}x`]) {
      const viaHandshake = await MatchClient.connect(url, token);
      expect((await viaHandshake.closed).code).toBe(4401);
      const viaMessage = await MatchClient.connect(url, token, { auth: 'message' });
      expect((await viaMessage.closed).code).toBe(4401);
      expect(viaHandshake.countReceived('welcome') + viaMessage.countReceived('welcome')).toBe(0);
    }
  });

  it('closes with 4401 when the token expires while the socket is open', async () => {
    const p = await newPlayer(t.app);
    const token = signed({ name: p.username }, { subject: String(p.id), expiresIn: 2 });
    const client = await MatchClient.connect(url, token);
    await client.next('welcome');
    const { code } = await client.closed;
    expect(code).toBe(4401);
    const { exp } = jwt.decode(token) as { exp: number };
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
  });

  it('closes with 4408 when nothing authenticates within WS_AUTH_TIMEOUT_MS', async () => {
    const opened = Date.now();
    const client = await MatchClient.connect(url, undefined, { auth: 'none' });
    expect((await client.closed).code).toBe(4408);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 5);
  });

  it('closes with 4401 when the first message is not auth', async () => {
    const client = await MatchClient.connect(url, undefined, { auth: 'none' });
    client.send({ type: 'queue' });
    expect((await client.closed).code).toBe(4401);
  });

  it('answers 404 to an upgrade on another path', async () => {
    const socket = new WebSocket(url.replace(/\/ws$/, '/api/ws'), ['game.v1']);
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });

  it('answers 404 to an upgrade whose request target is not a URL, and keeps serving', async () => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.write(
      'GET //[ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [reply] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 404 /);
    const p = await newPlayer(t.app);
    // Still serving: a new player's socket gets its welcome.
    expect(await join(p)).toBeDefined();
  });

  it('never logs a token', async () => {
    const p = await newPlayer(t.app);
    const client = await join(p, 'message');
    client.send({ type: 'auth', token: p.token });
    expect(await client.next('error')).toMatchObject({ code: 'invalid_message' });
    const bad = await MatchClient.connect(url, `${p.token}x`, { auth: 'message' });
    await bad.closed;
    // Logging is at trace level here.
    expect(t.logs.lines.join('\n')).not.toContain(p.token);
  });
});

describe('match channel: bad input', () => {
  it('answers unreadable messages with an error and keeps the socket open', async () => {
    const client = await join(await newPlayer(t.app));
    const cases: [Record<string, unknown> | string, string][] = [
      ['{"type":"queue"', 'bad_json'],
      ['[1,2]', 'invalid_message'],
      [{ type: 'dance', id: 'u1' }, 'unknown_type'],
      [{ type: 'move', id: 'm1', matchId: 'x', points: 101 }, 'invalid_message'],
      [{ type: 'move', id: 'm2', points: 3 }, 'invalid_message'],
      [
        { type: 'move', id: 'm3', matchId: 'x', points: 3, data: { blob: 'x'.repeat(1100) } },
        'invalid_message',
      ],
      [{ type: 'end', id: 'e1', matchId: '' }, 'invalid_message'],
    ];
    for (const [message, code] of cases) {
      client.send(message);
      const error = await client.next('error');
      expect(error.code, JSON.stringify(message)).toBe(code);
      if (typeof message === 'object') expect(error.id).toBe(message.id);
      expect(typeof error.message).toBe('string');
    }
    // Still open and serving: leaving a queue it never joined is refused, not acknowledged.
    expect(await client.request({ type: 'leave', id: 'l1' }, 'error')).toMatchObject({
      id: 'l1',
      code: 'not_queued',
    });
  });

  it(`closes with 1009 on a frame larger than WS_MAX_PAYLOAD (${MAX_PAYLOAD} bytes)`, async () => {
    const client = await join(await newPlayer(t.app));
    client.send({ type: 'move', matchId: 'x', points: 1, pad: 'x'.repeat(MAX_PAYLOAD) });
    expect((await client.closed).code).toBe(1009);
  });

  it('refuses a move or an end in a match the player is not in with not_in_match', async () => {
    const { a, matchId } = await matchedPair();
    const outsider = await join(await newPlayer(t.app));
    for (const message of [
      { type: 'move', id: 1, matchId, points: 5 },
      { type: 'end', id: 2, matchId },
      { type: 'move', id: 3, matchId: 'no-such-match', points: 5 },
    ]) {
      expect(await outsider.request(message, 'error')).toMatchObject({
        id: message.id,
        code: 'not_in_match',
      });
    }
    // The players' match is untouched by the outsider's attempts.
    await a.request({ type: 'move', matchId, points: 2 }, 'move_ack');
    const ended = await a.request({ type: 'end', id: 'end', matchId }, 'ended');
    expect(ended.results).toContainEqual({ playerId: expect.any(Number), score: 2 });
  });
});

describe('match channel: matchmaking', () => {
  it('pairs two players, acks moves to the mover and pushes them to the other', async () => {
    const { a, b, pa, pb, matchId } = await matchedPair();
    const matched = a.received.find((m) => m.type === 'matched')!;
    expect(matched.players).toEqual(
      expect.arrayContaining([
        { playerId: pa.id, username: pa.username },
        { playerId: pb.id, username: pb.username },
      ]),
    );
    const sent = Date.now();
    const ack = await a.request({ type: 'move', id: 'mv', matchId, points: 7, data: { x: 1 } }, 'move_ack');
    expect(ack.id).toBe('mv');
    const moved = await b.next('moved');
    expect(moved).toMatchObject({ matchId, playerId: pa.id, points: 7, data: { x: 1 } });
    expect(moved.ts).toBe(ack.ts);
    expect(moved.ts as number).toBeGreaterThanOrEqual(sent - 1);
    expect(a.countReceived('moved')).toBe(0);
    await b.request({ type: 'move', matchId, points: 4 }, 'move_ack');
    // Cached now, with no session played: ending the match must drop it.
    expect((await request(t.app).get('/api/me').set(pa.auth).expect(200)).body.stats.sessions).toBe(0);
    const [endedA, endedB] = await Promise.all([
      a.request({ type: 'end', id: 9, matchId }, 'ended'),
      b.next('ended'),
    ]);
    expect(endedA.id).toBe(9);
    expect(endedB.id).toBeUndefined();
    expect(endedB.results).toEqual(
      expect.arrayContaining([
        { playerId: pa.id, score: 7 },
        { playerId: pb.id, score: 4 },
      ]),
    );
    // A match ends once; after that it takes no moves either.
    expect(await b.request({ type: 'end', id: 'again', matchId }, 'error')).toMatchObject({
      code: 'not_in_match',
    });
    expect(await a.request({ type: 'move', matchId, points: 1 }, 'error')).toMatchObject({
      code: 'not_in_match',
    });
    const me = await request(t.app).get('/api/me').set(pa.auth).expect(200);
    expect(me.body.stats).toMatchObject({ sessions: 1, totalScore: 7, bestScore: 7 });
    const board = await request(t.app).get('/api/leaderboard?limit=100').set(pa.auth).expect(200);
    expect(board.body.entries).toContainEqual(expect.objectContaining({ userId: pa.id, score: 7 }));
  });

  it('ends a match once when both players end it at the same moment', async () => {
    const { a, b, matchId } = await matchedPair();
    a.send({ type: 'end', id: 'a', matchId });
    b.send({ type: 'end', id: 'b', matchId });
    const [ea, eb] = await Promise.all([a.next('ended'), b.next('ended')]);
    expect(ea.matchId).toBe(matchId);
    expect(eb.matchId).toBe(matchId);
    const refused = [...a.received, ...b.received].filter((m) => m.type === 'error');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'not_in_match' });
    const rows = await t.database.db.selectFrom('matches').select('id').where('id', '=', matchId).execute();
    expect(rows).toHaveLength(1);
  });

  it('answers already_queued to a second queue and takes the player out on leave', async () => {
    const p = await newPlayer(t.app);
    const first = await join(p);
    const second = await join(p);
    await first.request({ type: 'queue', id: 1 }, 'queued');
    expect(await first.request({ type: 'queue', id: 2 }, 'error')).toMatchObject({
      id: 2,
      code: 'already_queued',
    });
    expect(await second.request({ type: 'queue', id: 3 }, 'error')).toMatchObject({
      id: 3,
      code: 'already_queued',
    });
    await first.request({ type: 'leave', id: 4 }, 'left');
    await second.request({ type: 'queue', id: 5 }, 'queued');
    await second.request({ type: 'leave', id: 6 }, 'left');
  });

  it('takes a player who disconnects while queued out of the queue', async () => {
    const ghost = await join(await newPlayer(t.app));
    await ghost.request({ type: 'queue' }, 'queued');
    await ghost.close();
    const [pb, pc] = await Promise.all([newPlayer(t.app), newPlayer(t.app)]);
    const b = await join(pb);
    const c = await join(pc);
    await b.request({ type: 'queue' }, 'queued');
    await c.request({ type: 'queue' }, 'queued');
    const matched = await b.next('matched');
    expect((matched.players as { playerId: number }[]).map((p) => p.playerId).sort()).toEqual(
      [pb.id, pc.id].sort(),
    );
    await b.request({ type: 'end', matchId: matched.matchId }, 'ended');
  });
});

describe('match channel: metrics and the fault toggle', () => {
  const sample = (text: string, name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('counts messages in and out exactly as the clients sent and received them', async () => {
    const before = (await request(t.app).get('/metrics').expect(200)).text;
    const { a, b, matchId } = await matchedPair();
    for (let i = 0; i < 5; i++) await a.request({ type: 'move', matchId, points: i }, 'move_ack');
    await b.request({ type: 'dance' }, 'error');
    await b.next('moved');
    await Promise.all([a.request({ type: 'end', matchId }, 'ended'), b.next('ended')]);
    const after = (await request(t.app).get('/metrics').expect(200)).text;
    const delta = (direction: string, type: string) =>
      sample(after, `game_api_ws_messages_total{direction="${direction}",type="${type}"}`) -
      sample(before, `game_api_ws_messages_total{direction="${direction}",type="${type}"}`);
    const sentBy = (type: string) => (a.sentTypes.get(type) ?? 0) + (b.sentTypes.get(type) ?? 0);
    const receivedBy = (type: string) => a.countReceived(type) + b.countReceived(type);
    for (const type of ['queue', 'move', 'end']) expect(delta('in', type), type).toBe(sentBy(type));
    expect(delta('in', 'unknown')).toBe(sentBy('dance'));
    for (const type of ['welcome', 'queued', 'matched', 'move_ack', 'moved', 'ended', 'error']) {
      expect(delta('out', type), type).toBe(receivedBy(type));
    }
    expect(after).toContain('game_api_ws_connections ');
    expect(after).toContain('game_api_ws_matchmaking_queue_length 0');
    expect(sample(after, 'game_api_ws_fanout_delay_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sample(after, 'game_api_ws_matchmaking_wait_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(after).toMatch(/game_api_ws_disconnects_total\{reason="auth"\} [1-9]/);
  });

  it('delays move_ack by at least the fault delay when BOTTLENECK_ROUTE is "WS move"', async () => {
    const DELAY = 300;
    const { a, matchId } = await matchedPair();
    const admin = (body: object) =>
      request(t.app).put('/admin/fault').set('X-Admin-Token', TEST_ADMIN_TOKEN).send(body).expect(200);
    await admin({ delayMs: DELAY, route: 'WS move' });
    try {
      const started = performance.now();
      await a.request({ type: 'move', matchId, points: 1 }, 'move_ack');
      expect(performance.now() - started).toBeGreaterThanOrEqual(DELAY);
      const metrics = (await request(t.app).get('/metrics')).text;
      expect(metrics).toContain(`game_api_fault_delay_ms{route="WS move",mode="app"} ${DELAY}`);
    } finally {
      await admin({ delayMs: 0, route: 'GET /api/users' });
    }
    const started = performance.now();
    await a.request({ type: 'move', matchId, points: 1 }, 'move_ack');
    expect(performance.now() - started).toBeLessThan(DELAY);
    await a.request({ type: 'end', matchId }, 'ended');
  });
});
