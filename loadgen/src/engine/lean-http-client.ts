import type { HttpClient, HttpClientOptions, HttpResponse, RequestBody } from './http-client.js';
import { aborted, Connection, type PendingRequest } from './lean-connection.js';

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
    body: RequestBody | undefined;
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
    body: RequestBody | undefined,
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
   * same method, path and string body (a byte body is copied every time: a script may fill the
   * same buffer again), and headers with the same names and values in the same order (a script
   * may change the object it passes between two requests). Checked as undici checks them:
   * a path or header value with a character HTTP/1.1 cannot carry is refused, an undefined header
   * left out, a null one sent empty.
   */
  private requestBytes(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: RequestBody | undefined,
  ) {
    const last = this.last;
    if (
      last.method === method &&
      last.path === path &&
      last.body === body &&
      typeof body !== 'object' &&
      sameHeaders(headers, last)
    ) {
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
    if (body !== undefined) {
      head += `content-length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}\r\n`;
    } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') head += 'content-length: 0\r\n';
    head += '\r\n';
    const bytes =
      body === undefined
        ? Buffer.from(head, 'latin1')
        : Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body) : body]);
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

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Origin-form, in what one byte per character can carry (undici's rule: no spaces or controls). */
const PATH = /^\/[\u0021-\u00ff]*$/;
/** undici's rule for header values: tab, visible ASCII and bytes 0x80-0xff. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** RFC 9110 section 9.2.2: sending these twice has the effect of sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
