import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A small real server speaking docs/realtime.md's match protocol at GET /ws (welcome, queue →
 * queued, matched, move → move_ack + moved to the others, end → ended, leave → left), with
 * in-memory pairing, plus the two REST calls a player makes first: POST /api/users and
 * POST /api/login (a token, and a `sid` cookie). A socket authenticates with the token as a
 * `bearer.<token>` subprotocol or an `Authorization: Bearer` header; any other upgrade gets 401.
 *
 * For the fault tests: `{"type":"close-me"}` makes the server close that socket with 4000, and
 * `{"type":"flood","count":n}` pushes n `tick` messages (with ts). It counts every frame it
 * sends and receives by type, so a test can hold loadgen's counts against the server's own.
 */
export interface MatchServer {
  url: string;
  /** Frames received, by type. */
  received: Map<string, number>;
  /** Frames sent (while the socket was open), by type. */
  sent: Map<string, number>;
  /** Sockets accepted, open now, and most open at once. */
  readonly connects: number;
  readonly open: number;
  readonly peakOpen: number;
  /** The handshake headers of every accepted socket, in order. */
  upgrades: Array<{ authorization: string | undefined; cookie: string | undefined; protocol: string }>;
  close: () => Promise<void>;
}

const MATCH_SIZE = 2;

interface Player {
  id: number;
  username: string;
  socket: WebSocket;
  matchId: string | undefined;
}

export async function startMatchServer(): Promise<MatchServer> {
  const received = new Map<string, number>();
  const sent = new Map<string, number>();
  const upgrades: MatchServer['upgrades'] = [];
  const tokens = new Map<string, string>();
  const ids = new Map<string, number>();
  const matches = new Map<string, Player[]>();
  const queue: Player[] = [];
  const state = { connects: 0, open: 0, peakOpen: 0, matches: 0 };
  const bump = (m: Map<string, number>, type: string) => m.set(type, (m.get(type) ?? 0) + 1);

  const send = (p: Player, message: Record<string, unknown> & { type: string }) => {
    if (p.socket.readyState !== WebSocket.OPEN) return;
    bump(sent, message.type);
    p.socket.send(JSON.stringify(message));
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const path = req.url?.split('?')[0];
      // loadgen reads the target's /metrics around a run: this server has none.
      if (path === '/metrics') return res.writeHead(404).end();
      const { username } = (body === '' ? {} : JSON.parse(body)) as { username?: string };
      if (req.method === 'POST' && path === '/api/users' && username !== undefined) {
        if (ids.has(username)) return json(res, 409, { error: { code: 'username_taken' } });
        ids.set(username, ids.size + 1);
        return json(res, 201, { id: ids.get(username), username });
      }
      if (req.method === 'POST' && path === '/api/login' && username !== undefined && ids.has(username)) {
        const token = randomBytes(8).toString('hex');
        tokens.set(token, username);
        return json(res, 200, { token, expiresIn: 3600 }, { 'set-cookie': `sid=${token}; Path=/; HttpOnly` });
      }
      json(res, 404, { error: { code: 'not_found' } });
    });
  });

  const tokenOf = (req: IncomingMessage): string | undefined => {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const bearer = offered.find((p) => p.startsWith('bearer.'));
    if (bearer !== undefined) return bearer.slice('bearer.'.length);
    return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  };

  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    verifyClient: ({ req }, done) => {
      const token = tokenOf(req);
      if (token === undefined || !tokens.has(token)) done(false, 401, 'bad token');
      else done(true);
    },
    handleProtocols: (protocols) => (protocols.has('game.v1') ? 'game.v1' : false),
  });

  const leaveMatch = (p: Player) => {
    const players = p.matchId === undefined ? undefined : matches.get(p.matchId);
    if (players !== undefined) players.splice(players.indexOf(p), 1);
    const i = queue.indexOf(p);
    if (i >= 0) queue.splice(i, 1);
  };

  wss.on('connection', (socket, req) => {
    const username = tokens.get(tokenOf(req) as string) as string;
    const player: Player = { id: ids.get(username) as number, username, socket, matchId: undefined };
    upgrades.push({
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      protocol: socket.protocol,
    });
    state.connects++;
    state.open++;
    state.peakOpen = Math.max(state.peakOpen, state.open);
    socket.on('close', () => {
      state.open--;
      leaveMatch(player);
    });
    send(player, { type: 'welcome', playerId: player.id, username, ts: Date.now() });
    socket.on('message', (data) => {
      const now = Date.now();
      const m = JSON.parse(data.toString()) as {
        type: string;
        id?: unknown;
        matchId?: string;
        points?: number;
        count?: number;
      };
      bump(received, m.type);
      const reply = (message: Record<string, unknown> & { type: string }) =>
        send(player, m.id === undefined ? message : { ...message, id: m.id });
      const match = m.matchId === undefined ? undefined : matches.get(m.matchId);
      switch (m.type) {
        case 'queue': {
          reply({ type: 'queued' });
          queue.push(player);
          if (queue.length < MATCH_SIZE) return;
          const players = queue.splice(0, MATCH_SIZE);
          const matchId = `m${++state.matches}`;
          matches.set(matchId, players);
          const list = players.map((p) => ({ playerId: p.id, username: p.username }));
          for (const p of players) {
            p.matchId = matchId;
            send(p, { type: 'matched', matchId, players: list, ts: now });
          }
          return;
        }
        case 'move':
          if (match === undefined || !match.includes(player))
            return reply({ type: 'error', code: 'not_in_match' });
          reply({ type: 'move_ack', ts: now });
          for (const p of match) {
            if (p !== player)
              send(p, { type: 'moved', matchId: m.matchId, playerId: player.id, points: m.points, ts: now });
          }
          return;
        case 'end': {
          if (match === undefined || !match.includes(player))
            return reply({ type: 'error', code: 'not_in_match' });
          matches.delete(m.matchId as string);
          const results = match.map((p) => ({ playerId: p.id, score: 0 }));
          for (const p of match) {
            p.matchId = undefined;
            send(p, { type: 'ended', matchId: m.matchId, results, ts: now });
          }
          return;
        }
        case 'leave':
          leaveMatch(player);
          return reply({ type: 'left' });
        case 'close-me':
          return socket.close(4000, 'asked to');
        case 'flood':
          for (let i = 0; i < (m.count ?? 0); i++) send(player, { type: 'tick', n: i, ts: now });
          return;
        default:
          return reply({ type: 'error', code: 'unknown_type' });
      }
    });
  });

  await new Promise<void>((resolve) => http.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    sent,
    upgrades,
    get connects() {
      return state.connects;
    },
    get open() {
      return state.open;
    },
    get peakOpen() {
      return state.peakOpen;
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
