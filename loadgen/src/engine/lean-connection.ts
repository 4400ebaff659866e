import { connect, type Socket } from 'node:net';
import { BusyPoll } from './busy-poll.js';
import type { HttpResponse } from './http-client.js';
import { Http1ResponseParser, type ParsedResponse } from './http1-response-parser.js';

/** One read at a time on a thread: every connection reads into this. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** One window per thread: any connection's read keeps the event loop polling. */
const busyPoll = new BusyPoll(0.05);

export interface PendingRequest {
  bytes: Buffer;
  keepBody: boolean;
  isHead: boolean;
  /** May be sent again after a stale keep-alive close (see LeanHttpClient). */
  idempotent: boolean;
  resolve: (response: HttpResponse) => void;
  reject: (error: Error) => void;
  /** Sweeper ticks since it was written. */
  ticks: number;
  retried: boolean;
}

export function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export const aborted = () => failure('LG_HTTP_ABORTED', 'the run ended with this request in flight');

/** One keep-alive socket (re-opened when the server closes it) and its requests, one at a time. */
export class Connection {
  current: PendingRequest | undefined;
  /** Requests of the users stuck to this connection (sticky mode), in order. */
  readonly queue: PendingRequest[] = [];
  private socket: Socket | undefined;
  private readonly parser = new Http1ResponseParser((r) => this.onResponse(r));
  /** A response completed on the current socket: a failure on it now may be a stale close. */
  private reused = false;
  /** When the last read came in; once it completed a response, when the socket went idle. */
  private lastReadAt = 0;
  private idleSince = 0;
  private keepAliveMs: number | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly takeWaiting: (c: Connection) => PendingRequest | undefined,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  send(p: PendingRequest): void {
    this.current = p;
    p.ticks = 0;
    let socket = this.socket;
    // The server said how long it keeps an idle connection; do not race its close.
    if (
      socket !== undefined &&
      this.keepAliveMs !== undefined &&
      performance.now() - this.idleSince > this.keepAliveMs - 1000
    ) {
      this.detach();
      socket = undefined;
    }
    if (socket === undefined) socket = this.open();
    this.parser.expect(p.keepBody, p.isHead);
    socket.write(p.bytes);
  }

  timeOut(afterMs: number): void {
    this.detach();
    this.fail(failure('LG_HTTP_TIMEOUT', `no complete response within ${afterMs} ms`), false);
  }

  abort(): void {
    this.detach();
    const error = aborted();
    const p = this.current;
    this.current = undefined;
    p?.reject(error);
    for (const q of this.queue.splice(0)) q.reject(error);
  }

  private open(): Socket {
    const socket = connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      // Reads land in one buffer shared by every connection (the parser copies what it keeps), and
      // skip the stream machinery that 'data' events go through.
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array) => {
          if (socket !== this.socket) return false;
          this.lastReadAt = busyPoll.touch();
          try {
            this.parser.execute(buf as Buffer, n);
          } catch (error) {
            this.detach();
            this.fail(error as Error, false);
          }
          return true;
        },
      },
    });
    this.socket = socket;
    this.reused = false;
    this.keepAliveMs = undefined;
    socket.on('end', () => this.onClosed(socket, undefined));
    socket.on('error', (error) => this.onClosed(socket, error));
    socket.on('close', () => this.onClosed(socket, undefined));
    return socket;
  }

  private onResponse(r: ParsedResponse): void {
    const p = this.current;
    if (p === undefined) return;
    this.current = undefined;
    this.reused = true;
    if (r.keepAlive) {
      this.keepAliveMs = r.keepAliveTimeoutMs;
      this.idleSince = this.lastReadAt;
    } else {
      this.detach();
    }
    // Only what HttpResponse promises: the connection's keep-alive details stay here.
    p.resolve({ status: r.status, bytes: r.bytes, body: r.body, headers: r.headers });
    this.next();
  }

  /** The socket ended, failed or closed: a body read until close completes, anything else fails. */
  private onClosed(socket: Socket, error: Error | undefined): void {
    if (socket !== this.socket) return;
    const reused = this.reused;
    this.detach();
    if (this.current === undefined) return;
    if (this.parser.finish()) return; // completed (onResponse ran) or nothing was expected
    const started = this.parser.started;
    const err =
      error ??
      failure(
        'ECONNRESET',
        `the server closed the connection ${started ? 'mid-response' : 'before responding'}`,
      );
    this.fail(err, reused && !started);
  }

  private fail(error: Error, retryable: boolean): void {
    const p = this.current;
    if (p === undefined) return;
    this.current = undefined;
    if (retryable && p.idempotent && !p.retried) {
      p.retried = true;
      this.send(p);
      return;
    }
    p.reject(error);
    this.next();
  }

  private next(): void {
    const p = this.queue.shift() ?? this.takeWaiting(this);
    if (p !== undefined) this.send(p);
  }

  private detach(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.socket = undefined;
    socket.destroy();
  }
}
