import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<StandIn> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Something answering where a Grafana would, as Grafana's unauthenticated GET /api/health does
 * (`{"database":"ok","version":...}`); no Grafana can be installed here (docs/lab.md).
 */
export function grafanaStandIn(): Promise<StandIn> {
  return listen(
    createServer((req, res) => {
      const health = req.url === '/api/health';
      res.writeHead(health ? 200 : 404, { 'content-type': 'application/json' });
      res.end(health ? JSON.stringify({ database: 'ok', version: '12.0.2' }) : '{"message":"Not found"}');
    }),
  );
}

/** A server on Grafana's port that is not Grafana: a single-page app answering every path with 200 HTML. */
export function otherServerStandIn(): Promise<StandIn> {
  return listen(
    createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><div id="root"></div>');
    }),
  );
}

/** A server that accepts connections and never answers. */
export function silentServer(): Promise<StandIn> {
  return listen(createServer(() => undefined));
}
