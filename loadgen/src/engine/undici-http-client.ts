import { createRequire } from 'node:module';
import type { Client, Dispatcher, Pool } from 'undici';
import type { HttpClient, HttpClientOptions, HttpResponse, RequestBody } from './http-client.js';
import { tlsConnectOptions } from './tls-options.js';

/**
 * undici is loaded when a run picks it (https://, or --http-client undici), not with loadgen:
 * the module alone holds ~17 MB that a run on the default lean client never uses. It is a
 * CommonJS package, so it loads synchronously.
 */
const loadUndici = (): typeof import('undici') => createRequire(import.meta.url)('undici');

/** HttpClient on undici's Client (sticky) or Pool: the default for https:// targets. */
export class UndiciHttpClient implements HttpClient {
  private readonly pool: Pool | undefined;
  private readonly clients: Array<Client | undefined>;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly clientOptions: Client.Options;
  private readonly undici: typeof import('undici');

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
    const tls = tlsConnectOptions(options.tls);
    if (tls !== undefined) this.clientOptions.connect = tls;
    this.undici = loadUndici();
    this.clients = options.sticky ? new Array<Client | undefined>(Math.max(1, options.connections)) : [];
    this.pool = options.sticky
      ? undefined
      : new this.undici.Pool(url.origin, { ...this.clientOptions, connections: options.connections });
  }

  private dispatcher(slot: number): Dispatcher {
    if (this.pool !== undefined) return this.pool;
    const i = slot % this.clients.length;
    let c = this.clients[i];
    if (c === undefined) {
      c = new this.undici.Client(this.origin, this.clientOptions);
      this.clients[i] = c;
    }
    return c;
  }

  /**
   * Resolves with any HTTP status; rejects on transport failure (see classifyTransportError).
   * Uses undici's dispatch handler API rather than request(): no body stream per response.
   */
  request(
    slot: number,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: RequestBody | undefined,
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
  private rawHeaders: Buffer[] | undefined;

  constructor(
    private readonly keepBody: boolean,
    private readonly resolve: (res: HttpResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode;
    if (this.keepBody) this.rawHeaders = rawHeaders;
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
      body: chunks === undefined ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      headers: this.rawHeaders,
    });
  }

  onError(error: Error): void {
    this.reject(error);
  }
}
