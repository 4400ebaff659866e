import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runFile } from '../helpers/scenarios.js';
import { type SocketIoServer, startSocketIoServer } from '../helpers/socketio-server.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(LOADGEN, 'examples', 'socketio-chat.ts');
const FAULTS = join(LOADGEN, 'test', 'fixtures', 'socketio-faults.ts');
const ORIGINS = join(LOADGEN, 'test', 'fixtures', 'socketio-origins.ts');

let server: SocketIoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const endpoint = (s: Summary, name: string) => s.endpoints.find((e) => e.endpoint === name);
const sio = (s: Summary, type: string) =>
  s.ws?.messages.find((m) => m.protocol === 'socket.io' && m.type === type);

const run = (file: string, target: string, durationSec: number) => runFile(file, { target, durationSec });

describe('Socket.IO (vu.socketio) against a real socket.io 4 server', () => {
  it('examples/socketio-chat.ts: acks timed as sio <event>, counts equal the server, idle players answer pings and stay connected', async () => {
    // Pings every 300 ms with 600 ms to answer: a player idles 1 to 1.5 s between messages, three
    // to five ping intervals, and a player that did not answer would be dropped for "ping timeout"
    // within 900 ms of going idle, before its next message, unless loadgen answers meanwhile.
    server = await startSocketIoServer({ pingInterval: 300 });
    const s = await run(EXAMPLE, server.url, 4);
    const chat = server;

    // Emits and acks: exactly what the server received and acknowledged.
    expect(sio(s, 'say')?.sent).toBe(chat.received.get('say'));
    expect(sio(s, 'join')?.sent).toBe(6);
    expect(chat.received.get('join')).toBe(6);
    expect(endpoint(s, 'sio say')).toMatchObject({ kind: 'ws', count: chat.acked.get('say'), errors: 0 });
    expect(endpoint(s, 'sio join')).toMatchObject({ kind: 'ws', count: 6, errors: 0, setup: true });
    expect(chat.acked.get('say')).toBeGreaterThanOrEqual(12);
    // Ack latency is in the summary, and the example's thresholds hold.
    expect(endpoint(s, 'sio say')?.latencyMs.p50).toBeGreaterThan(0);
    expect(s.thresholds.every((t) => t.passed)).toBe(true);

    // Every player stayed connected through its idle times: each pong answered a ping, no
    // "ping timeout", one connection per player, closed by loadgen at the end.
    expect(chat.connects).toBe(6);
    expect(s.ws?.connects).toBe(6);
    expect(endpoint(s, 'sio connect')).toMatchObject({ count: 6, errors: 0 });
    expect(s.totals.peakConnected).toBe(6);
    expect(sio(s, '(pong)')?.sent).toBe(chat.pongs);
    expect(sio(s, '(ping)')?.received).toBe(chat.pongs);
    expect(chat.pongs).toBeGreaterThanOrEqual(6 * 9); // 4 s of 300 ms pings each
    await vi.waitFor(() => expect(chat.connected).toBe(0));
    expect(Object.fromEntries(chat.disconnects)).toEqual({ 'client namespace disconnect': 6 });
    expect(s.ws?.closeCodes).toEqual({ '1000': 6 });

    // The auth payload reached the namespace; the handler answered every quiz with its ack.
    expect(chat.auths).toEqual(Array(6).fill({ token: 'secret' }));
    expect(chat.quizAnswered).toBe(6);
    expect(sio(s, 'quiz')?.received).toBe(6);
    expect(sio(s, '(ack)')?.sent).toBe(6);

    // Room broadcasts are pushes with the server's time: counted, and timed as their delay.
    const said = sio(s, 'said')?.received ?? 0;
    expect(said).toBeGreaterThan(0);
    expect(said).toBeLessThanOrEqual(chat.saidDelivered);
    expect(endpoint(s, 'sio said')?.count).toBe(said);
    expect(s.failures).toEqual([]);
  });

  it('a refused auth is a sio_connect_error; a lost connection reconnects when asked (counted), and only then', async () => {
    server = await startSocketIoServer();
    const chat = server;
    const running = runFile(FAULTS, { target: chat.url, durationSec: 3 });
    // Once both players are past their setup (both emit pings; a cut during the setup's bytes
    // round trip would fail that setup, and its retry would be one more connection), cut every
    // connection as a restarting server would.
    await vi.waitFor(() => expect(chat.pingingSockets.size).toBe(2), { timeout: 10_000 });
    chat.dropAll();
    const s = await running;

    const refused = s.failures.find((f) => f.endpoint === 'sio refused' && f.kind === 'sio_connect_error');
    expect(refused?.sample).toBe('namespace /chat refused the connection: bad token');
    expect(chat.auths).toContainEqual({ token: 'wrong' });
    // The player that asked for reconnection came back (a new connection, counted); the other
    // one did not, and its next emit failed as ws_closed.
    expect(s.ws?.reconnects).toBe(1);
    expect(chat.connects).toBe(3);
    expect(s.ws?.connects).toBe(3);
    expect(endpoint(s, 'sio connect')?.count).toBe(3);
    expect(
      s.failures.find((f) => f.endpoint === 'sio ping' && f.kind === 'ws_closed')?.count,
    ).toBeGreaterThan(0);
    expect(s.checks?.find((c) => c.label === 'a wrong token is refused')).toMatchObject({
      passes: 2,
      fails: 0,
    });
    expect(s.checks?.find((c) => c.label === 'bytes round trip')).toMatchObject({ passes: 2, fails: 0 });
    expect(chat.acked.get('bytes')).toBe(2);
    // Every emit reached the server but those in flight when the connections were cut (at most
    // one per player: each waits 100 ms between emits).
    const sent = sio(s, 'ping')?.sent ?? 0;
    expect(chat.received.get('ping')).toBeLessThanOrEqual(sent);
    expect(chat.received.get('ping')).toBeGreaterThanOrEqual(sent - 2);
  });

  it('another server by its URL: the namespace is its path, and the target’s bearer token stays home unless asked for', async () => {
    server = await startSocketIoServer();
    const other = await startSocketIoServer();
    try {
      process.env.SIO_OTHER_URL = other.url;
      const s = await run(ORIGINS, server.url, 2);
      expect(s.failures).toEqual([]);
      expect(server.authorizations).toEqual(['Bearer home-token']);
      expect(other.authorizations).toEqual([undefined, 'Bearer home-token']);
      expect(other.connects).toBe(2);
      expect(s.ws?.connects).toBe(3);
    } finally {
      delete process.env.SIO_OTHER_URL;
      await other.close();
    }
  });
});
