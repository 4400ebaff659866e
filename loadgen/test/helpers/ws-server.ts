import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/** A `ws` server on GET /ws of a real node:http server on port 0 (any other request: 404). */
export interface WsServer {
  wss: WebSocketServer;
  url: string;
  /** Cut every socket and close both servers. */
  close: () => Promise<void>;
}

export async function startWsServer(o: { perMessageDeflate?: boolean } = {}): Promise<WsServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    // Compress every message, however small, when the client offers it.
    perMessageDeflate: o.perMessageDeflate === true ? { threshold: 0 } : false,
  });
  await new Promise<void>((resolve) => http.listen({ port: 0, host: '127.0.0.1' }, resolve));
  return {
    wss,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
