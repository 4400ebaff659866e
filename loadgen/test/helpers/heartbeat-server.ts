import { WebSocket } from 'ws';
import { startWsServer } from './ws-server.js';

/**
 * A real `ws` server with an application-level heartbeat, as many game servers have: every
 * 200 ms it sends each socket `{"type":"ping","n"}`, and closes with 4000 a socket that has left
 * two pings unanswered (`{"type":"pong","n"}`). Every third ping comes with a `{"type":"boom"}`.
 * A socket's role is the `role` of its URL's query (`/ws?role=answer`), so the test knows whose
 * sockets it dropped.
 */
export interface HeartbeatServer {
  url: string;
  pings: number;
  pongs: number;
  booms: number;
  /** Sockets closed for missed pings, by role. */
  dropped: Map<string, number>;
  connects: Map<string, number>;
  readonly open: number;
  close: () => Promise<void>;
}

export const PING_EVERY_MS = 200;

export async function startHeartbeatServer(): Promise<HeartbeatServer> {
  const { wss, url, close } = await startWsServer();
  const live = new Map<WebSocket, { role: string; sent: number; answered: number }>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const s: HeartbeatServer = {
    url,
    pings: 0,
    pongs: 0,
    booms: 0,
    dropped: new Map(),
    connects: new Map(),
    get open() {
      return wss.clients.size;
    },
    close: () => {
      clearInterval(beat);
      return close();
    },
  };
  const beat = setInterval(() => {
    for (const [socket, p] of live) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (p.sent - p.answered >= 2) {
        bump(s.dropped, p.role);
        live.delete(socket);
        socket.close(4000, 'missed two pings');
        continue;
      }
      p.sent++;
      s.pings++;
      socket.send(JSON.stringify({ type: 'ping', n: p.sent }));
      if (p.sent % 3 === 0) {
        s.booms++;
        socket.send(JSON.stringify({ type: 'boom' }));
      }
    }
  }, PING_EVERY_MS);
  wss.on('connection', (socket, req) => {
    const role = new URL(req.url ?? '/', 'http://x').searchParams.get('role') ?? '';
    bump(s.connects, role);
    const p = { role, sent: 0, answered: 0 };
    live.set(socket, p);
    socket.on('close', () => live.delete(socket));
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; n: number };
      if (m.type !== 'pong') return;
      s.pongs++;
      p.answered = Math.max(p.answered, m.n);
    });
  });
  return s;
}
