import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

interface RunningServer {
  server: Server;
  port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish (idle keep-alive connections are
   * closed at once), and after `timeoutMs` cuts whatever is left.
   */
  close(timeoutMs: number): Promise<void>;
}

/** Listens on `port` of `host` (every interface when omitted). */
export async function listen(app: Express, port: number, host?: string): Promise<RunningServer> {
  const server = host === undefined ? app.listen(port) : app.listen(port, host);
  await once(server, 'listening');
  // Longer than common load balancers' idle timeouts, so they close first (no reset races).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close(timeoutMs) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
