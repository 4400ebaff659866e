/**
 * What the engine needs from HTTP, and which clients provide it: loadgen's lean HTTP/1.1 client
 * on node:net (the default for http:// targets, where it measured faster and lighter; see
 * loadgen/README.md "HTTP clients") and undici (the default for https://). createHttpClient
 * picks one.
 */
import type { TlsOptions } from './tls-options.js';

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
  /** Extra trust for https:// targets (undici's; the lean client speaks plain http:// only). */
  tls?: TlsOptions;
}

/** A request body: a string goes out as its UTF-8 bytes, a Uint8Array (a Buffer) as it is. */
export type RequestBody = string | Uint8Array;

export interface HttpResponse {
  status: number;
  bytes: number;
  /** The body, only when asked for (keepBody) or on an error status. */
  body: Buffer | undefined;
  /** Only when keepBody: undici's raw name/value pairs, or the lean client's whole response head. */
  headers: RawHeaders | undefined;
}

/** Response headers as a client received them; parsed only when a script reads them. */
export type RawHeaders = Buffer[] | Buffer;

/**
 * Header names in lower case; repeats joined by ", ", set-cookie by "\n" (its values hold commas).
 * Values are decoded as UTF-8 from either client, as undici's raw pairs always were.
 */
export function parseRawHeaders(raw: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const prev = out[key];
    out[key] = prev === undefined ? value : `${prev}${key === 'set-cookie' ? '\n' : ', '}${value}`;
  };
  if (raw === undefined) return out;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) add(String(raw[i]), String(raw[i + 1]).trim());
    return out;
  }
  const lines = raw.toString('utf8').split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon > 0) add(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return out;
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

/**
 * OpenSSL's certificate verification codes as Node reports them (DEPTH_ZERO_SELF_SIGNED_CERT,
 * CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE...) and Node's own name check.
 */
const CERTIFICATE =
  /CERT|SIGNATURE|CRL|^INVALID_CA$|^PATH_LENGTH_EXCEEDED$|^INVALID_PURPOSE$|^HOSTNAME_MISMATCH$/;
/** The TLS handshake failed before any certificate was judged (a protocol or cipher mismatch, an alert). */
const HANDSHAKE = /^ERR_SSL_|^ERR_TLS_|^EPROTO$/;

function kindOf(code: string, name: string | undefined): string {
  const known = KINDS[code];
  if (known !== undefined) return known;
  if (code !== '' && CERTIFICATE.test(code)) return 'tls_certificate';
  if (HANDSHAKE.test(code)) return 'tls_handshake';
  return name === 'TimeoutError' ? 'timeout' : 'other';
}

export function classifyTransportError(error: unknown): TransportFailure {
  const e = error as { code?: unknown; name?: string; message?: string; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  return {
    kind: kindOf(code, e.name),
    message: `${code !== '' ? `${code}: ` : ''}${e.message ?? String(error)}`,
  };
}

/**
 * A failure kind whose time is a measurement: a timeout waited as long as the limit, the slowest
 * outcome there is, and must stay in the percentiles. Every other failure got no response at all
 * (refused, reset, a TLS failure): its time says nothing of the server's latency, and a server
 * that resets every connection would otherwise look fast.
 */
export const keepsLatency = (kind: string): boolean => kind === 'timeout';

/** The keep-alive connections to the target; the only place that talks HTTP. */
export interface HttpClient {
  /** Resolves with any HTTP status; rejects on transport failure (see classifyTransportError). */
  request(
    slot: number,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: RequestBody | undefined,
    keepBody: boolean,
  ): Promise<HttpResponse>;
  /** Abort everything in flight and close the sockets. */
  destroy(): Promise<void>;
}

const NO_COOKIES: ReadonlyArray<[string, string]> = [];
/** The lean client hands out one cached head per distinct head, so its cookies are parsed once. */
const headCookies = new WeakMap<Buffer, ReadonlyArray<[string, string]>>();

/** name=value of every Set-Cookie in a response (attributes such as Path and Expires dropped). */
export function setCookies(raw: RawHeaders): ReadonlyArray<[string, string]> {
  if (Array.isArray(raw)) {
    let out: Array<[string, string]> | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] as Buffer;
      if (name.length !== 10 || name.toString('latin1').toLowerCase() !== 'set-cookie') continue;
      const pair = cookiePair(String(raw[i + 1]));
      if (pair === undefined) continue;
      out ??= [];
      out.push(pair);
    }
    return out ?? NO_COOKIES;
  }
  let cached = headCookies.get(raw);
  if (cached === undefined) {
    const values = parseRawHeaders(raw)['set-cookie'];
    cached =
      values === undefined
        ? NO_COOKIES
        : values.split('\n').flatMap((v) => {
            const pair = cookiePair(v);
            return pair === undefined ? [] : [pair];
          });
    headCookies.set(raw, cached);
  }
  return cached;
}

function cookiePair(setCookie: string): [string, string] | undefined {
  const end = setCookie.indexOf(';');
  const pair = end < 0 ? setCookie : setCookie.slice(0, end);
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
}
