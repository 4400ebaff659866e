import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * A real Socket.IO 4 server (the `socket.io` package) with a chat on the `/chat` namespace:
 * CONNECT needs `auth.token === 'secret'` (else a connect error "bad token"); `join` (room) and
 * `say` (text) are answered by acks, and `say` is broadcast to the rest of the room as
 * `said` ({ text, ts }). After a join the server asks the client `quiz` (2, 3) with an ack of its
 * own and counts the right answers (5); `bytes` (a binary attachment) is answered with its length
 * and its bytes reversed. Everything is counted on the server's side: events and
 * acks by name, Engine.IO pongs, connections and disconnect reasons.
 */
export interface SocketIoServer {
  url: string;
  /** Events received, by name. */
  received: Map<string, number>;
  /** Acks the server's handlers called, by event name. */
  acked: Map<string, number>;
  /** `said` events delivered to the other sockets of a room. */
  saidDelivered: number;
  /** Right answers to the server's `quiz`. */
  quizAnswered: number;
  /** Engine.IO pongs received. */
  pongs: number;
  connects: number;
  /** Connections that have emitted `ping` at least once (their player is past its setup). */
  pingingSockets: Set<string>;
  /** Disconnect reasons (`client namespace disconnect`, `ping timeout`, `transport close`...). */
  disconnects: Map<string, number>;
  /** The `auth` of every namespace CONNECT tried. */
  auths: unknown[];
  /** The Authorization header of every handshake of those CONNECTs (undefined: none). */
  authorizations: Array<string | undefined>;
  readonly connected: number;
  /** Close every connection's transport (as a server restart or a network cut would). */
  dropAll: () => void;
  close: () => Promise<void>;
}

export async function startSocketIoServer(o: { pingInterval?: number } = {}): Promise<SocketIoServer> {
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  // Plain HTTP gets a 404, as from any server (loadgen reads the target's /metrics around a run).
  const http = createServer((_req, res) => res.writeHead(404).end());
  const io = new Server(http, {
    transports: ['websocket'],
    serveClient: false,
    pingInterval: o.pingInterval ?? 25_000,
    // A missed ping drops the client within pingInterval + 600 ms; 600 ms, not less, so a pong
    // late on a loaded CI machine is not taken for one never sent.
    pingTimeout: 600,
  });
  const chat = io.of('/chat');
  const s = {
    url: '',
    received: new Map<string, number>(),
    acked: new Map<string, number>(),
    saidDelivered: 0,
    quizAnswered: 0,
    pongs: 0,
    connects: 0,
    pingingSockets: new Set<string>(),
    disconnects: new Map<string, number>(),
    auths: [] as unknown[],
    authorizations: [] as Array<string | undefined>,
    get connected() {
      return chat.sockets.size;
    },
    dropAll: () => {
      for (const socket of chat.sockets.values()) socket.conn.close();
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
  chat.use((socket, next) => {
    s.auths.push(socket.handshake.auth);
    s.authorizations.push(socket.handshake.headers.authorization);
    next(socket.handshake.auth.token === 'secret' ? undefined : new Error('bad token'));
  });
  chat.on('connection', (socket) => {
    s.connects++;
    socket.conn.on('packet', (packet: { type: string }) => {
      if (packet.type === 'pong') s.pongs++;
    });
    socket.on('disconnect', (reason) => bump(s.disconnects, reason));
    socket.onAny((event: string) => {
      bump(s.received, event);
      if (event === 'ping') s.pingingSockets.add(socket.id);
    });
    socket.on('join', (room: string, ack: (r: unknown) => void) => {
      void socket.join(room);
      bump(s.acked, 'join');
      ack({ joined: room });
      socket
        .timeout(5000)
        .emitWithAck('quiz', 2, 3)
        .then(
          (answer: unknown) => {
            if (answer === 5) s.quizAnswered++;
          },
          () => undefined,
        );
    });
    socket.on('bytes', (bytes: Buffer, ack: (r: unknown) => void) => {
      bump(s.acked, 'bytes');
      ack({ length: bytes.length, reversed: Buffer.from(bytes).reverse() });
    });
    socket.on('say', (text: string, ack: (r: unknown) => void) => {
      bump(s.acked, 'say');
      ack({ ok: true });
      for (const room of socket.rooms) {
        if (room === socket.id) continue;
        s.saidDelivered += (chat.adapter.rooms.get(room)?.size ?? 1) - 1;
        socket.to(room).emit('said', { text, ts: Date.now() });
      }
    });
  });
  await new Promise<void>((resolve) => http.listen({ port: 0, host: '127.0.0.1' }, resolve));
  s.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return s;
}
