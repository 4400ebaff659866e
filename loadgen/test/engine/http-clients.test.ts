import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/engine/create-http-client.js';
import { classifyTransportError, type HttpClient, parseRawHeaders } from '../../src/engine/http-client.js';
import { Http1ResponseParser, type ParsedResponse } from '../../src/engine/http1-response-parser.js';
import type { HttpClientKind } from '../../src/model/http-client-kind.js';

const open: Array<{ close: () => void }> = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  for (const s of open.splice(0)) s.close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: () => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close();
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A real node:http server; `sockets` counts the TCP connections it accepted. */
async function httpServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => handler(req, res, body));
  });
  let sockets = 0;
  server.on('connection', () => sockets++);
  const url = await listen(server);
  return { url, server, sockets: () => sockets };
}

/** A raw TCP server that answers each request's bytes with whatever `answer` writes. */
async function rawServer(answer: (socket: Socket, request: string, nth: number) => void) {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    sockets.push(socket);
    let nth = 0;
    let pending = '';
    socket.on('data', (d) => {
      pending += d.toString('latin1');
      let end = pending.indexOf('\r\n\r\n');
      while (end >= 0) {
        const request = pending.slice(0, end);
        pending = pending.slice(end + 4);
        answer(socket, request, nth++);
        end = pending.indexOf('\r\n\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  const url = await listen(server);
  return { url, sockets };
}

function client(
  kind: HttpClientKind,
  url: string,
  options: { sticky?: boolean; connections?: number; timeoutMs?: number } = {},
) {
  const c = createHttpClient(kind, url, {
    connections: options.connections ?? 1,
    timeoutMs: options.timeoutMs ?? 5000,
    sticky: options.sticky ?? true,
  });
  clients.push(c);
  return c;
}

const get = (c: HttpClient, path = '/', keepBody = true) =>
  c.request(0, 'GET', path, {}, undefined, keepBody);
const failureKind = (c: Promise<unknown>) =>
  c.then(
    () => 'resolved',
    (e: unknown) => classifyTransportError(e).kind,
  );

describe.each(['lean', 'undici'] as const)('%s HTTP client', (kind) => {
  it('sends method, path, headers and body, and reads a Content-Length response', async () => {
    const s = await httpServer((req, res, body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization, body }));
    });
    const c = client(kind, `${s.url}/base`);
    const res = await c.request(0, 'POST', '/api/login?x=1', { authorization: 'Bearer t' }, '{"é":1}', true);
    expect(res.status).toBe(200);
    const echoed = JSON.parse(res.body?.toString('utf8') ?? '');
    expect(echoed).toEqual({ method: 'POST', url: '/base/api/login?x=1', auth: 'Bearer t', body: '{"é":1}' });
    expect(res.bytes).toBe(res.body?.length);
  });

  it('decodes a chunked response and counts its decoded bytes', async () => {
    const s = await httpServer((_req, res) => {
      res.write('a'.repeat(1000));
      setTimeout(() => {
        res.write('b'.repeat(70_000));
        res.end('c');
      }, 20);
    });
    const c = client(kind, s.url);
    const res = await get(c);
    expect(res.bytes).toBe(71_001);
    expect(res.body?.toString()).toBe(`${'a'.repeat(1000)}${'b'.repeat(70_000)}c`);
  });

  it('keeps one connection for many requests, counting bytes without keeping bodies', async () => {
    const s = await httpServer((_req, res) => res.end('hello'));
    const c = client(kind, s.url);
    for (let i = 0; i < 50; i++) {
      const res = await get(c, '/', false);
      expect(res).toEqual({ status: 200, bytes: 5, body: undefined });
    }
    expect(s.sockets()).toBe(1);
  });

  it('keeps the body of an error status for the failures table', async () => {
    const s = await httpServer((_req, res) => res.writeHead(503).end('overloaded'));
    const res = await get(client(kind, s.url), '/', false);
    expect(res.status).toBe(503);
    expect(res.body?.toString()).toBe('overloaded');
  });

  it('opens a new connection after a response with Connection: close', async () => {
    const s = await httpServer((_req, res) => res.setHeader('connection', 'close').end('bye'));
    const c = client(kind, s.url);
    for (let i = 0; i < 3; i++) expect((await get(c)).body?.toString()).toBe('bye');
    expect(s.sockets()).toBe(3);
  });

  it('shares `connections` sockets among more concurrent requests (pool mode)', async () => {
    const s = await httpServer((_req, res) => setTimeout(() => res.end('ok'), 5));
    const c = client(kind, s.url, { sticky: false, connections: 3 });
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) => c.request(i, 'GET', '/', {}, undefined, false)),
    );
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(s.sockets()).toBeLessThanOrEqual(3);
  });

  it('classifies a refused connection, a timeout and a reset', async () => {
    const refused = createNetServer();
    const url = await listen(refused);
    await new Promise((closed) => refused.close(closed));
    expect(await failureKind(get(client(kind, url)))).toBe('connection_refused');

    const silent = await rawServer(() => undefined);
    const started = Date.now();
    expect(await failureKind(get(client(kind, silent.url, { timeoutMs: 300 })))).toBe('timeout');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3000);

    const reset = await rawServer((socket) => {
      // The reset follows the partial response on the wire: the client reads it, then the reset.
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial', () => socket.resetAndDestroy());
    });
    expect(await failureKind(get(client(kind, reset.url)))).toBe('connection_reset');
  });

  it('reads a body that ends with the connection', async () => {
    const s = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    const c = client(kind, s.url);
    expect((await get(c)).body?.toString()).toBe('until the end');
    expect((await get(c)).body?.toString()).toBe('until the end');
    expect(s.sockets.length).toBe(2);
  });

  it('expects no body after HEAD, 204 and 304', async () => {
    const s = await httpServer((req, res) => {
      if (req.url === '/204') res.writeHead(204).end();
      else if (req.url === '/304') res.writeHead(304).end();
      else res.setHeader('content-length', '4').end('body'); // node:http sends no body to HEAD
    });
    const c = client(kind, s.url);
    expect(await c.request(0, 'HEAD', '/', {}, undefined, false)).toEqual({
      status: 200,
      bytes: 0,
      body: undefined,
    });
    expect((await get(c, '/204', false)).status).toBe(204);
    expect((await get(c, '/304', false)).status).toBe(304);
    // The connection still works: no response waited for a body that never came.
    expect((await get(c, '/', false)).bytes).toBe(4);
  });

  it('survives a server that closed the idle keep-alive connection', async () => {
    const s = await httpServer((_req, res) => res.end('ok'));
    s.server.keepAliveTimeout = 100;
    const idleClosed = new Promise((closed) =>
      s.server.once('connection', (socket: Socket) => socket.once('close', closed)),
    );
    const c = client(kind, s.url);
    expect((await get(c)).status).toBe(200);
    await idleClosed; // by the server, 100 ms after the response
    expect((await get(c)).status).toBe(200);
    expect(s.sockets()).toBe(2);
  });

  it('rejects what is in flight when destroyed', async () => {
    let arrived = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const silent = await rawServer(() => arrived());
    const c = createHttpClient(kind, silent.url, { connections: 1, timeoutMs: 10_000, sticky: true });
    const pending = get(c);
    await inFlight; // the server has the request and will never answer
    await c.destroy();
    await expect(pending).rejects.toThrow();
  });

  it('sends a headers object as it is at each request, when a script changes it in between', async () => {
    const s = await httpServer((req, res) =>
      res.end(JSON.stringify({ a: req.headers['x-a'] ?? 'absent', n: req.headers['x-n'] ?? 'absent' })),
    );
    const c = client(kind, s.url);
    const headers: Record<string, unknown> = { 'x-a': 'one' };
    const seen = async () =>
      JSON.parse(
        (
          await c.request(0, 'GET', '/', headers as Record<string, string>, undefined, true)
        ).body?.toString() ?? '',
      );
    expect(await seen()).toEqual({ a: 'one', n: 'absent' });
    headers['x-a'] = 'two';
    expect(await seen()).toEqual({ a: 'two', n: 'absent' });
    delete headers['x-a'];
    expect(await seen()).toEqual({ a: 'absent', n: 'absent' });
    // A script without type checks may pass what it has not set yet: left out, or sent empty.
    headers['x-a'] = undefined;
    headers['x-n'] = null;
    expect(await seen()).toEqual({ a: 'absent', n: '' });
  });

  it('refuses a path or header value HTTP/1.1 cannot carry, rather than sending it mangled', async () => {
    let served = 0;
    const s = await httpServer((_req, res) => {
      served++;
      res.end('ok');
    });
    const c = client(kind, s.url);
    await expect(c.request(0, 'GET', '/players/名', {}, undefined, false)).rejects.toThrow(/path/);
    await expect(c.request(0, 'GET', '/', { 'x-p': '名前' }, undefined, false)).rejects.toThrow(/x-p/);
    expect((await c.request(0, 'GET', '/players/%E5%90%8D', { 'x-p': 'é' }, undefined, false)).status).toBe(
      200,
    );
    expect(served).toBe(1);
  });

  it('reads response header values as UTF-8', async () => {
    const s = await rawServer((socket) =>
      socket.write(
        Buffer.concat([
          Buffer.from('HTTP/1.1 200 OK\r\nx-name: '),
          Buffer.from('José', 'utf8'),
          Buffer.from('\r\ncontent-length: 2\r\n\r\nok'),
        ]),
      ),
    );
    const res = await get(client(kind, s.url));
    expect(parseRawHeaders(res.headers)['x-name']).toBe('José');
  });
});

describe('lean HTTP client only', () => {
  it('sends a request again, once, when a reused connection closes before any response byte', async () => {
    // Like a server whose keep-alive timer fires as the next request arrives (no Keep-Alive hint).
    const s = await rawServer((socket, _request, nth) => {
      if (nth === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.destroy();
    });
    const c = client('lean', s.url);
    expect((await get(c)).status).toBe(200);
    expect((await get(c)).status).toBe(200);
    expect(s.sockets.length).toBe(2);
  });

  it('never sends a POST twice: a reused connection closing before its response fails it', async () => {
    // The server may have acted on the POST before it closed (a registration, points added).
    let posts = 0;
    const s = await rawServer((socket, request, nth) => {
      if (request.startsWith('POST ')) posts++;
      if (nth === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.destroy();
    });
    const c = client('lean', s.url);
    expect((await get(c)).status).toBe(200);
    const post = c.request(0, 'POST', '/api/sessions/1/score', {}, '{"points":5}', false);
    expect(await failureKind(post)).toBe('connection_reset');
    expect(posts).toBe(1);
    expect(s.sockets.length).toBe(1);
  });

  it('skips an interim 100 Continue before the response', async () => {
    const s = await rawServer((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone');
    });
    expect((await get(client('lean', s.url))).body?.toString()).toBe('done');
  });

  it('fails, without retrying, a request whose first connection closes before any response', async () => {
    const s = await rawServer((socket) => socket.destroy());
    expect(await failureKind(get(client('lean', s.url)))).toBe('connection_reset');
    expect(s.sockets.length).toBe(1);
  });

  it('reports malformed responses and unsolicited bytes as protocol errors', async () => {
    const garbage = await rawServer((socket) => socket.write('SMTP ready\r\n\r\n'));
    expect(await failureKind(get(client('lean', garbage.url)))).toBe('protocol_error');
    const extra = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n'),
    );
    expect(await failureKind(get(client('lean', extra.url)))).toBe('protocol_error');
  });

  it('refuses header values with line breaks (no request smuggling from a scenario)', async () => {
    const s = await httpServer((_req, res) => res.end('ok'));
    const c = client('lean', s.url);
    await expect(c.request(0, 'GET', '/', { 'x-a': 'a\r\nx-b: b' }, undefined, false)).rejects.toThrow(
      /line break/,
    );
    await expect(c.request(0, 'GET', '/a b', {}, undefined, false)).rejects.toThrow(/path/);
  });

  it('refuses https targets with a message naming the alternative', () => {
    expect(() =>
      createHttpClient('lean', 'https://127.0.0.1:1', { connections: 1, timeoutMs: 1000 }),
    ).toThrow(/use undici/);
  });
});

describe('HTTP/1.1 response parser', () => {
  const responses = [
    'HTTP/1.1 200 OK\r\nContent-Length: 11\r\nKeep-Alive: timeout=5\r\n\r\nhello world',
    'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
  ];

  function parse(parts: Buffer[]): ParsedResponse[] {
    const out: ParsedResponse[] = [];
    const parser = new Http1ResponseParser((r) => out.push(r));
    parser.expect(true, false);
    for (const p of parts) parser.execute(p);
    return out;
  }

  it.each(responses)('gives the same response whole and split at every byte: %j', (text) => {
    const bytes = Buffer.from(text, 'latin1');
    const whole = parse([bytes]);
    expect(whole).toHaveLength(1);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(parse([...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it('reads framing, status and keep-alive from the head', () => {
    const [ok, chunked, notFound] = responses.map((r) => parse([Buffer.from(r)])[0]);
    expect(ok).toMatchObject({ status: 200, bytes: 11, keepAlive: true, keepAliveTimeoutMs: 5000 });
    expect(ok?.body?.toString()).toBe('hello world');
    expect(chunked).toMatchObject({ status: 201, bytes: 11, keepAlive: true });
    expect(chunked?.body?.toString()).toBe('hello world');
    expect(notFound).toMatchObject({ status: 404, bytes: 0, keepAlive: false });
  });
});
