import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small real server with another API shape than game-api's, for loadgen/examples/lobby.ts:
 * POST /session logs a seeded account in and answers 204 with a `sid` cookie; every other route
 * wants that cookie (401 without it). GET /lobby answers open and closed in turn, with the id of
 * a lobby to join; POST /lobby/:id/join only knows the id it handed out.
 */
export interface LobbyServer {
  url: string;
  /** Responses sent, by route template (`POST /lobby/:id/join`) and status: "GET /lobby 200". */
  counts: Map<string, number>;
  /** Every account that logged in, in order (repeats kept). */
  logins: string[];
  /** Sessions ended by DELETE /session. */
  logouts: number;
  close: () => Promise<void>;
}

export async function startLobbyServer(accounts: Map<string, string>): Promise<LobbyServer> {
  const counts = new Map<string, number>();
  const logins: string[] = [];
  const sessions = new Map<string, string>();
  const lobbies = new Set<string>();
  let lobbyCalls = 0;
  const state = { logouts: 0 };

  const send = (res: ServerResponse, route: string, status: number, body?: unknown, headers = {}) => {
    const key = `${route} ${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...headers, ...(text === '' ? {} : { 'content-type': 'application/json' }) });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    // loadgen looks for the target's own metrics before and after a run: this server has none.
    if (path === '/metrics') return res.writeHead(404).end();
    if (req.method === 'POST' && path === '/session') {
      let creds: { username?: string; password?: string } = {};
      try {
        creds = JSON.parse(body);
      } catch {}
      if (creds.username === undefined || accounts.get(creds.username) !== creds.password) {
        return send(res, 'POST /session', 401, { error: 'bad credentials' });
      }
      logins.push(creds.username);
      const sid = randomBytes(8).toString('hex');
      sessions.set(sid, creds.username);
      return send(res, 'POST /session', 204, undefined, {
        'set-cookie': `sid=${sid}; Path=/; HttpOnly; Expires=Wed, 21 Oct 2099 07:28:00 GMT`,
      });
    }
    const sid = /(?:^|;\s*)sid=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
    const route =
      req.method === 'POST' && /^\/lobby\/[^/]+\/join$/.test(path)
        ? 'POST /lobby/:id/join'
        : `${req.method} ${path}`;
    if (sid === undefined || !sessions.has(sid)) return send(res, route, 401, { error: 'no session' });
    if (route === 'GET /lobby') {
      lobbyCalls++;
      const lobbyId = `l${lobbyCalls}`;
      lobbies.add(lobbyId);
      return send(res, route, 200, { open: lobbyCalls % 2 === 1, lobbyId });
    }
    if (route === 'POST /lobby/:id/join') {
      const id = path.split('/')[2] as string;
      return send(res, route, lobbies.has(id) ? 200 : 404, { joined: id });
    }
    if (route === 'GET /lobby/queue') return send(res, route, 200, { position: 3 });
    if (route === 'DELETE /session') {
      sessions.delete(sid);
      state.logouts++;
      return send(res, route, 204);
    }
    return send(res, route, 404, { error: 'no such route' });
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handle(req, res, body));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    logins,
    get logouts() {
      return state.logouts;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The accounts of a CSV with a `username,password` header (as loadgen/examples/accounts.csv). */
export function accountsOf(csv: string): Map<string, string> {
  const rows = csv.trim().split('\n').slice(1);
  return new Map(rows.map((line) => line.split(',') as [string, string]));
}
