import { Client, type Dispatcher, Pool } from 'undici';

export interface HttpClientOptions {
  /** Keep-alive connections. */
  connections: number;
  timeoutMs: number;
  /**
   * true: user slot i always uses connection i % connections (one undici Client each, no pool
   * lookup: measured 3-10% less CPU per request). false: any free connection of a Pool (the open
   * model, where users outnumber connections). Default false.
   */
  sticky?: boolean;
}

export interface HttpResponse {
  status: number;
  bytes: number;
  /** The body, only when asked for (captures, error samples). */
  body: Buffer | undefined;
}

/** A transport failure, classified like Locust's failures table. */
export interface TransportFailure {
  kind: string;
  message: string;
}

const KINDS: Record<string, string> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
};

export function classifyTransportError(error: unknown): TransportFailure {
  const e = error as { code?: unknown; name?: string; message?: string; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  const kind = KINDS[code] ?? (e.name === 'TimeoutError' ? 'timeout' : 'other');
  return { kind, message: `${code !== '' ? `${code}: ` : ''}${e.message ?? String(error)}` };
}

/** The keep-alive connections to the target; the only place that talks HTTP. */
export class HttpClient {
  private readonly pool: Pool | undefined;
  private readonly clients: Array<Client | undefined>;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly clientOptions: Client.Options;

  constructor(target: string, options: HttpClientOptions) {
    const url = new URL(target);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.clientOptions = {
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
      keepAliveTimeout: 60_000,
    };
    this.clients = options.sticky ? new Array<Client | undefined>(Math.max(1, options.connections)) : [];
    this.pool = options.sticky
      ? undefined
      : new Pool(url.origin, { ...this.clientOptions, connections: options.connections });
  }

  private dispatcher(slot: number): Dispatcher {
    if (this.pool !== undefined) return this.pool;
    const i = slot % this.clients.length;
    let c = this.clients[i];
    if (c === undefined) {
      c = new Client(this.origin, this.clientOptions);
      this.clients[i] = c;
    }
    return c;
  }

  /**
   * Resolves with any HTTP status; rejects on transport failure (see classifyTransportError).
   * Uses undici's dispatch handler API rather than request(): no body stream per response,
   * which measured ~15% more requests per second per core (loadgen/bench).
   */
  request(
    slot: number,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    keepBody: boolean,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      this.dispatcher(slot).dispatch(
        { method: method as 'GET', path: this.basePath + path, headers, body },
        new ResponseCollector(keepBody, resolve, reject),
      );
    });
  }

  /** Abort everything in flight and close the sockets. */
  async destroy(): Promise<void> {
    await Promise.all([this.pool?.destroy(), ...this.clients.map((c) => c?.destroy())]);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool?.close(), ...this.clients.map((c) => c?.close())]);
  }
}

/**
 * One response, collected through the handler methods undici's HTTP/1.1 client calls natively
 * (onHeaders with raw headers). The newer onResponseStart API is adapted onto these by undici,
 * which parses every response's headers and trailers into objects that loadgen never reads: 3-5%
 * of the client's CPU per request at bench rates (loadgen/bench, CPU profile).
 */
class ResponseCollector implements Dispatcher.DispatchHandler {
  private status = 0;
  private bytes = 0;
  private chunks: Buffer[] | undefined;

  constructor(
    private readonly keepBody: boolean,
    private readonly resolve: (res: HttpResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    if (this.keepBody || statusCode >= 400) this.chunks = [];
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    this.chunks?.push(chunk);
    return true;
  }

  onComplete(): void {
    const { chunks } = this;
    this.resolve({
      status: this.status,
      bytes: this.bytes,
      body: chunks === undefined ? undefined : Buffer.concat(chunks),
    });
  }

  onError(error: Error): void {
    this.reject(error);
  }
}
