import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** Requests received, by `METHOD path-without-query`. */
  counts: Map<string, number>;
  total: () => number;
  /** Hold every response (but /metrics) that arrives from now on until `ms` have passed (a stall). */
  stallFor: (ms: number) => void;
  close: () => Promise<void>;
}

/**
 * A real node:http server on port 0 that counts requests and answers 200 "ok" (or what
 * `handler` says). `stallFor` makes it freeze like a GC pause or a lock would.
 */
export async function startTestServer(
  handler?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<TestServer> {
  const counts = new Map<string, number>();
  let stallUntil = 0;
  const server = createServer((req, res) => {
    const key = `${req.method} ${req.url?.split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const answer = () => {
      if (handler?.(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    };
    req.resume();
    req.on('end', () => {
      // /metrics never stalls: loadgen scrapes it around the run.
      const wait = req.url === '/metrics' ? 0 : stallUntil - Date.now();
      if (wait > 0) setTimeout(answer, wait);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    stallFor: (ms) => {
      stallUntil = Date.now() + ms;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
