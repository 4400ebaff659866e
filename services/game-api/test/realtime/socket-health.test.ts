import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { MatchClient, wsUrl } from '../helpers/match-client.js';
import { newPlayer } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const apps: TestApp[] = [];
const clients: MatchClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.drop()));
  await Promise.all(apps.map((t) => t.close()));
});

async function served(ws: NonNullable<Parameters<typeof createTestApp>[0]>['ws']) {
  const t = await createTestApp({ ws });
  apps.push(t);
  return { t, url: wsUrl((await t.serve()).url) };
}

describe('heartbeats', () => {
  const HEARTBEAT_MS = 100;

  it('closes a socket that stops answering pings with 1001, and keeps one that answers', async () => {
    const { t, url } = await served({ WS_HEARTBEAT_MS: String(HEARTBEAT_MS) });
    const [p1, p2] = await Promise.all([newPlayer(t.app), newPlayer(t.app)]);
    const answering = await MatchClient.connect(url, p1.token);
    clients.push(answering);
    await answering.next('welcome');
    const opened = Date.now();
    const silent = await MatchClient.connect(url, p2.token, { ws: { autoPong: false } });
    clients.push(silent);
    await silent.next('welcome');
    const { code } = await silent.closed;
    expect(code).toBe(1001);
    // Pinged on one visit, closed on the next, (almost) an interval later: never at once.
    expect(Date.now() - opened).toBeGreaterThanOrEqual(HEARTBEAT_MS * 0.9);
    // The answering socket, older than the silent one, lived through the same sweeps.
    expect(answering.socket.readyState).toBe(answering.socket.OPEN);
    expect(await answering.request({ type: 'leave', id: 1 }, 'error')).toMatchObject({
      id: 1,
      code: 'not_queued',
    });
  });
});

describe('slow consumers', () => {
  const MAX_BUFFERED = 64 * 1024;

  it('closes a socket that stops reading with 4409 instead of buffering for it', async () => {
    const { t, url } = await served({ WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED) });
    const [pa, pb] = await Promise.all([newPlayer(t.app), newPlayer(t.app)]);
    const reader = await MatchClient.connect(url, pa.token);
    const mover = await MatchClient.connect(url, pb.token);
    clients.push(reader, mover);
    await Promise.all([reader.next('welcome'), mover.next('welcome')]);
    await reader.request({ type: 'queue' }, 'queued');
    await mover.request({ type: 'queue' }, 'queued');
    const { matchId } = await mover.next('matched');
    await reader.next('matched');

    // The reader stops reading from its TCP socket; the mover keeps the server pushing to it.
    const readerTcp = (reader.socket as unknown as { _socket: Socket })._socket;
    readerTcp.pause();
    const data = { blob: 'x'.repeat(900) };
    const slowLogged = () => t.logs.lines.some((l) => l.includes('slow consumer closed'));
    let moves = 0;
    // Batches of 50 answered moves until the server gives up on the reader (about 4 MB of kernel
    // buffers fill first on loopback; bounded at 40 MB). On a starved machine a move may get
    // `unavailable` (Redis's 500 ms command timeout) instead of its ack: it is then not pushed.
    while (!slowLogged() && moves < 40_000) {
      for (let i = 0; i < 50; i++) mover.send({ type: 'move', matchId, points: 1, data });
      for (let i = 0; i < 50; i++) await mover.next('move_ack', 'error');
      moves += 50;
    }
    expect(slowLogged()).toBe(true);
    // The mover is served on; nothing more is queued for the reader.
    for (let i = 0; i < 200; i++) {
      mover.send({ type: 'move', matchId, points: 1, data });
      await mover.next('move_ack', 'error');
    }
    moves += 200;

    readerTcp.resume();
    const { code } = await reader.closed;
    expect(code).toBe(4409);
    // It read what had been buffered up to the limit, then the close: not every move.
    expect(reader.countReceived('moved')).toBeLessThan(moves - 200);
  });
});
