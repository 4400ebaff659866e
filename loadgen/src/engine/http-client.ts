/**
 * What the engine needs from HTTP, and which clients provide it: undici (the default for
 * `loadgen run`) and loadgen's lean HTTP/1.1 client on node:net (the default for `loadgen url`,
 * where it measured faster; see loadgen/README.md "Benchmark"). createHttpClient picks one.
 */
export const HTTP_CLIENT_KINDS = ['undici', 'lean'] as const;
export type HttpClientKind = (typeof HTTP_CLIENT_KINDS)[number];

export interface HttpClientOptions {
  /** Keep-alive connections. */
  connections: number;
  timeoutMs: number;
  /**
   * true: user slot i always uses connection i % connections (the closed model: a user keeps its
   * connection, as a browser or a Locust user does). false: the first free connection (the open
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
  LG_HTTP_TIMEOUT: 'timeout',
  LG_HTTP_PROTOCOL: 'protocol_error',
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
export interface HttpClient {
  /** Resolves with any HTTP status; rejects on transport failure (see classifyTransportError). */
  request(
    slot: number,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    keepBody: boolean,
  ): Promise<HttpResponse>;
  /** Abort everything in flight and close the sockets. */
  destroy(): Promise<void>;
}
