import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { WebSocketServer } from 'ws';

/** What a server received: one entry per request or socket handshake. */
export interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  cookie: string | undefined;
  acceptEncoding: string | undefined;
  body: Buffer;
}

export interface RecordingServer {
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/** The JSON every compressed route sends, and its length decoded. */
export const COMPRESSED_JSON = JSON.stringify({ ok: true, padding: 'x'.repeat(2000) });
/** Bytes that are not UTF-8 (0x80-0xff alone, NUL): what a text decoding would mangle. */
export const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));

type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

async function recordingServer(routes: Record<string, Route>): Promise<RecordingServer> {
  const received: Received[] = [];
  const note = (req: IncomingMessage, body: Buffer) =>
    received.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      acceptEncoding: req.headers['accept-encoding'],
      body,
    });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      note(req, body);
      const path = (req.url ?? '').split('?')[0] as string;
      const route = routes[path] ?? routes[path.replace(/\/\d+$/, '/:n')];
      if (route === undefined) res.writeHead(404).end('not found');
      else route(req, res, body);
    });
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('headers', (_headers, req) => note(req, Buffer.alloc(0)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const compressed =
  (encoding: string, bytes: Buffer): Route =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding }).end(bytes);

/**
 * The target of test/fixtures/http-backend.ts: a login that sets a `sid` cookie, gzip, br and
 * deflate bodies, a byte echo and a binary body, a redirect chain (/redirect/3 → /2 → /1 → /0 →
 * /landed), a redirect to the other origin, and /config naming that origin, as a backend names
 * its auth or game servers.
 */
export function startBackend(other: () => string): Promise<RecordingServer> {
  const json = Buffer.from(COMPRESSED_JSON);
  return recordingServer({
    '/config': (_req, res) => res.end(JSON.stringify({ other: other() })),
    '/login': (_req, res) =>
      res.writeHead(200, { 'set-cookie': 'sid=home-secret; Path=/; HttpOnly' }).end('{}'),
    '/gzip': compressed('gzip', gzipSync(json)),
    '/br': compressed('br', brotliCompressSync(json)),
    '/deflate': compressed('deflate', deflateSync(json)),
    '/echo': (_req, res, body) =>
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body),
    '/binary': (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(BINARY),
    '/redirect/:n': (req, res) => {
      const n = Number(req.url?.split('/').at(-1));
      res.writeHead(302, { location: n === 0 ? '/landed' : `/redirect/${n - 1}` }).end();
    },
    '/landed': (_req, res) => res.end('landed'),
    '/away': (_req, res) => res.writeHead(307, { location: `${other()}/landing` }).end(),
  });
}

/** A second origin that records what reaches it: every route answers, /public sets its own cookie. */
export function startOtherOrigin(): Promise<RecordingServer> {
  const ok: Route = (_req, res) => res.end('ok');
  return recordingServer({
    '/public': (_req, res) => res.writeHead(200, { 'set-cookie': 'other=1' }).end('ok'),
    '/private': ok,
    '/landing': ok,
  });
}
