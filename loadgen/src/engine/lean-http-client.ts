import { connect, type Socket } from 'node:net';
import type { HttpClient, HttpClientOptions, HttpResponse } from './http-client.js';
import { Http1ResponseParser, type ParsedResponse } from './http1-response-parser.js';

/**
 * loadgen's lean HTTP/1.1 client: keep-alive node:net sockets, one request at a time per
 * connection, each request's bytes built once (and reused while method, path, headers and body
 * stay the same, as in `loadgen url`), and the next request written as soon as a response
 * completes. undici waits one event-loop turn before reusing an idle socket and builds a request
 * object per call; on `npm run bench -w loadgen` that was the gap to autocannon.
 *
 * Plain http:// only. Kept deliberately small: no redirects, no compression, no proxies, no
 * pipelining. An idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) that fails on a
 * reused connection before any byte of its response came back (the server closed the idle socket
 * as the request went out) is sent once more on a new connection, as undici does. Any other
 * method is never sent twice: the server may have acted on it before closing (a POST that
 * registered a player or added points), so its failure is the caller's, as is every other failure.
 */
export class LeanHttpClient implements HttpClient {
  private readonly connections: Array<Connection | undefined>;
  private readonly idle: Connection[] = [];
  private readonly waiting: PendingRequest[] = [];
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;
  private readonly basePath: string;
  private readonly sticky: boolean;
  private readonly sweeper: NodeJS.Timeout;
  private readonly tickMs: number;
  private readonly timeoutTicks: number;
  private opened = 0;
  private destroyed = false;
  private last: {
    method: string;
    path: string;
    names: string[];
    values: unknown[];
    body: string | undefined;
    bytes: Buffer;
  } = { method: '', path: '', names: [], values: [], body: undefined, bytes: Buffer.alloc(0) };

  constructor(target: string, options: HttpClientOptions) {
    const url = new URL(target);
    if (url.protocol !== 'http:') {
      throw new Error(`the lean HTTP client speaks plain http:// only, not ${url.protocol}; use undici`);
    }
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port || 80);
    this.hostHeader = url.host;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.sticky = options.sticky === true;
    this.connections = new Array<Connection | undefined>(Math.max(1, options.connections));
    // Timeouts are checked on a coarse tick rather than with a timer per request: a request
    // times out between timeoutMs and timeoutMs + tickMs after it was written.
    this.tickMs = Math.min(1000, Math.max(10, options.timeoutMs / 10));
    this.timeoutTicks = Math.ceil(options.timeoutMs / this.tickMs);
    this.sweeper = setInterval(() => this.sweep(), this.tickMs);
    this.sweeper.unref();
  }

  request(
    slot: number,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    keepBody: boolean,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      if (this.destroyed) {
        reject(aborted());
        return;
      }
      let bytes: Buffer;
      try {
        bytes = this.requestBytes(method, path, headers, body);
      } catch (error) {
        reject(error);
        return;
      }
      const p: PendingRequest = {
        bytes,
        keepBody,
        isHead: method === 'HEAD',
        idempotent: IDEMPOTENT.has(method),
        resolve,
        reject,
        ticks: 0,
        retried: false,
      };
      const conn = this.sticky ? this.stickyConnection(slot) : this.freeConnection();
      if (conn === undefined) this.waiting.push(p);
      else if (conn.busy) conn.queue.push(p);
      else conn.send(p);
    });
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    clearInterval(this.sweeper);
    for (const conn of this.connections) conn?.abort();
    for (const p of this.waiting.splice(0)) p.reject(aborted());
  }

  private stickyConnection(slot: number): Connection {
    const i = slot % this.connections.length;
    let conn = this.connections[i];
    if (conn === undefined) {
      conn = new Connection(this.host, this.port, () => undefined);
      this.connections[i] = conn;
    }
    return conn;
  }

  /** An idle connection, a new one while fewer than `connections` exist, or undefined (wait). */
  private freeConnection(): Connection | undefined {
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    if (this.opened === this.connections.length) return undefined;
    const conn = new Connection(this.host, this.port, (c) => {
      const next = this.waiting.shift();
      if (next === undefined) this.idle.push(c);
      return next;
    });
    this.connections[this.opened++] = conn;
    return conn;
  }

  private sweep(): void {
    for (const conn of this.connections) {
      const p = conn?.current;
      if (p !== undefined && ++p.ticks > this.timeoutTicks) conn?.timeOut(this.tickMs * (p.ticks - 1));
    }
  }

  /**
   * The request's bytes: head and body in one buffer, reused while the request stays the same:
   * same method, path and body, and headers with the same names and values in the same order (a
   * script may change the object it passes between two requests). Checked as undici checks them:
   * a path or header value with a character HTTP/1.1 cannot carry is refused, an undefined header
   * left out, a null one sent empty.
   */
  private requestBytes(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ) {
    const last = this.last;
    if (last.method === method && last.path === path && last.body === body && sameHeaders(headers, last)) {
      return last.bytes;
    }
    if (!TOKEN.test(method)) throw new TypeError(`invalid HTTP method ${JSON.stringify(method)}`);
    if (!PATH.test(path)) throw new TypeError(`invalid request path ${JSON.stringify(path)}`);
    let head = `${method} ${this.basePath}${path} HTTP/1.1\r\n`;
    let hasHost = false;
    const names: string[] = [];
    const values: unknown[] = [];
    for (const name in headers) {
      const raw: unknown = headers[name];
      names.push(name);
      values.push(raw);
      if (raw === undefined) continue;
      const value = raw === null ? '' : String(raw);
      if (!TOKEN.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
      if (/[\r\n\0]/.test(value)) throw new TypeError(`header ${name} holds a line break`);
      if (BAD_VALUE.test(value)) throw new TypeError(`invalid ${name} header value ${JSON.stringify(value)}`);
      const lower = name.toLowerCase();
      if (lower === 'content-length' || lower === 'transfer-encoding') continue; // framing is ours
      if (lower === 'host') hasHost = true;
      head += `${name}: ${value}\r\n`;
    }
    if (!hasHost) head += `host: ${this.hostHeader}\r\n`;
    if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
    else if (method === 'POST' || method === 'PUT' || method === 'PATCH') head += 'content-length: 0\r\n';
    head += '\r\n';
    const bytes =
      body === undefined
        ? Buffer.from(head, 'latin1')
        : Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
    this.last = { method, path, names, values, body, bytes };
    return bytes;
  }
}

/** The headers hold exactly these names and values, in this order (no array built per request). */
function sameHeaders(headers: Record<string, string>, last: { names: string[]; values: unknown[] }): boolean {
  let i = 0;
  for (const name in headers) {
    if (last.names[i] !== name || last.values[i] !== headers[name]) return false;
    i++;
  }
  return i === last.names.length;
}

/** One read at a time on a thread: every connection reads into this. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * Adaptive busy polling: after a read, keep the event loop polling (setImmediate, so libuv's
 * poll does not block) for a short window in which more responses are likely. Under load the
 * thread never sleeps between responses, so it is not woken late; idle, it stops within the window.
 */
class BusyPoll {
  private last = 0;
  private active = false;
  constructor(private readonly windowMs: number) {}
  /** A read happened now; returns now (performance.now()). */
  touch(): number {
    this.last = performance.now();
    if (!this.active && this.windowMs > 0) {
      this.active = true;
      setImmediate(this.tick);
    }
    return this.last;
  }
  private readonly tick = (): void => {
    if (performance.now() - this.last < this.windowMs) setImmediate(this.tick);
    else this.active = false;
  };
}
const busyPoll = new BusyPoll(0.05);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Origin-form, in what one byte per character can carry (undici's rule: no spaces or controls). */
const PATH = /^\/[\u0021-\u00ff]*$/;
/** undici's rule for header values: tab, visible ASCII and bytes 0x80-0xff. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** RFC 9110 section 9.2.2: sending these twice has the effect of sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

interface PendingRequest {
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

function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const aborted = () => failure('LG_HTTP_ABORTED', 'the run ended with this request in flight');

/** One keep-alive socket (re-opened when the server closes it) and its requests, one at a time. */
class Connection {
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
