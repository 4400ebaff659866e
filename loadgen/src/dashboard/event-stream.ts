import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Server-sent events (the page's EventSource; k6's web dashboard pushes the same way): one
 * message per closed window, written to every connected client. Nothing is buffered for a slow
 * client beyond the socket's own buffer; a page that reconnects reloads the state first.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps idle connections (and proxies between) open.
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': keep-alive\n\n');
    }, 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients) res.write(text);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
