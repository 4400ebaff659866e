import {
  RequestFailedError,
  type RequestOptions,
  type VuHttp,
  type VuResponse,
} from '../api/scenario-api.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import { ACCEPT_ENCODING, decodeBody } from './body-decoding.js';
import type { EngineHttpOptions } from './engine-config.js';
import {
  classifyTransportError,
  type HttpResponse,
  keepsLatency,
  parseRawHeaders,
  setCookies,
} from './http-client.js';
import type { OriginClients, Route } from './origin-clients.js';
import { becomesGet, bodyOf, REDIRECT_STATUSES, redirectLimit, withQuery } from './request-options.js';
import { Response } from './vu-response.js';

/** What every user's HTTP session of one part shares. */
export interface VuHttpContext {
  /** The target's pool and one per other origin the users send to. */
  clients: OriginClients;
  recorder: WindowRecorder;
  /** True once the run is over: late failures of aborted requests are not measurements. */
  isClosing: () => boolean;
  /** The run's target URL, base path included, no trailing slash (`vu.target`). */
  target: string;
  /** The scenario's `http` options: what a request that does not say does. */
  http: EngineHttpOptions;
}

/** Which part of a user's life a request belongs to; setup endpoints are marked as such. */
type VuPhase = 'setup' | 'iteration' | 'teardown';

const NO_OPTIONS: RequestOptions = {};
const NO_HEADERS: Record<string, string> = {};
const JSON_TYPE = 'application/json';
const SLASH = 47;
/** A request's own headers that a redirect to another origin does not carry there (as fetch does). */
const STAY_HOME = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** The user was stopped mid-iteration: the rest of the iteration is skipped, nothing is counted. */
export class UserStoppedError extends Error {
  constructor() {
    super('the virtual user was stopped');
    this.name = 'UserStoppedError';
  }
}

type HeaderOptions = Pick<RequestOptions, 'headers' | 'defaultHeaders' | 'json'>;

/**
 * One user's HTTP session: default headers, a cookie jar per origin, and every request measured
 * into the part's recorder under its endpoint name. A request that gets no response is counted
 * with its failure kind and rejects with a RequestFailedError.
 *
 * The common request (a path on the target, nothing to decode, no redirect to follow) parses no
 * URL and builds no headers object the lean client could not reuse: what the other features cost
 * is paid by the requests that use them.
 */
export class VuHttpSession implements VuHttp {
  headers: Record<string, string> = {};
  cookies: Record<string, string> = {};
  phase: VuPhase = 'iteration';
  /**
   * performance.now() ms at which the next request counts as started: the open model's scheduled
   * start of an iteration, so time spent waiting for a free user is not hidden (coordinated omission).
   */
  startAt: number | undefined;
  /** Cookies of the origins other than the target's, by origin. */
  private jars: Map<string, Record<string, string>> | undefined;

  constructor(
    private readonly ctx: VuHttpContext,
    /** Which connection this user sticks to (closed model); see HttpClient. */
    private readonly slot: number,
    private readonly isActive: () => boolean,
  ) {}

  get(path: string, options?: RequestOptions): Promise<VuResponse> {
    return this.request('GET', path, options);
  }
  post(path: string, options?: RequestOptions): Promise<VuResponse> {
    return this.request('POST', path, options);
  }
  put(path: string, options?: RequestOptions): Promise<VuResponse> {
    return this.request('PUT', path, options);
  }
  patch(path: string, options?: RequestOptions): Promise<VuResponse> {
    return this.request('PATCH', path, options);
  }
  delete(path: string, options?: RequestOptions): Promise<VuResponse> {
    return this.request('DELETE', path, options);
  }

  async request(method: string, path: string, options: RequestOptions = NO_OPTIONS): Promise<VuResponse> {
    // "Users stop after the request in flight": a stopped user's iteration goes no further.
    if (this.phase === 'iteration' && !this.isActive()) throw new UserStoppedError();
    const q = path.indexOf('?');
    const endpoint = options.name ?? `${method} ${q < 0 ? path : path.slice(0, q)}`;
    const url = options.query === undefined ? path : withQuery(path, options.query);
    let body = options.json !== undefined ? JSON.stringify(options.json) : bodyOf(options.body);
    const decompress = options.decompress ?? this.ctx.http.decompress;
    const redirects =
      options.redirects === undefined ? this.ctx.http.redirects : redirectLimit(options.redirects, endpoint);
    // A path on the target needs no URL parsing: route undefined.
    let route = url.charCodeAt(0) === SLASH ? undefined : this.route(url, endpoint);
    const firstOrigin = route?.origin;
    const discard = options.discardBody === true;
    // Decoding and following redirects read the response, whatever the script keeps of it.
    const keepBody = !discard || decompress || redirects > 0;
    if (this.phase === 'setup') this.ctx.recorder.markSetup(endpoint);
    let t0 = this.startAt ?? performance.now();
    this.startAt = undefined;
    const recorder = this.ctx.recorder;
    let m = method;
    let o = options;
    let left = redirects;
    for (;;) {
      const origin = route?.origin;
      const hopPath = route === undefined ? url : route.path;
      // A hop that left the request's own origin carries none of its credentials.
      const strip = origin !== firstOrigin;
      const headers =
        origin === undefined && !strip && !decompress
          ? this.headersFor(o)
          : this.scopedHeaders(
              o,
              origin,
              origin === undefined ? o.defaultHeaders !== false : !strip && o.defaultHeaders === true,
              strip,
              decompress,
            );
      let res: HttpResponse;
      try {
        res = await (route?.client ?? this.ctx.clients.target).request(
          this.slot,
          m,
          hopPath,
          headers,
          body,
          keepBody,
        );
      } catch (error) {
        const f = classifyTransportError(error);
        if (!this.ctx.isClosing()) {
          const waited = keepsLatency(f.kind) ? (performance.now() - t0) * 1000 : undefined;
          recorder.recordTransportError(endpoint, waited, f.kind, f.message);
        }
        throw new RequestFailedError(endpoint, f.kind, f.message);
      }
      const micros = (performance.now() - t0) * 1000;
      if (res.headers !== undefined) {
        const jar = this.jar(origin);
        for (const [name, value] of setCookies(res.headers)) jar[name] = value;
      }
      let failure: string | undefined;
      let sample: string | undefined;
      if (decompress && res.body !== undefined) {
        try {
          res.body = decodeBody(res.body, parseRawHeaders(res.headers)['content-encoding']);
          recorder.recordDecodedBytes(endpoint, res.body.length);
        } catch (error) {
          failure = 'content_decoding';
          sample = (error as Error).message;
        }
      }
      const location =
        redirects > 0 && REDIRECT_STATUSES.has(res.status)
          ? parseRawHeaders(res.headers).location
          : undefined;
      if (failure !== undefined) {
        // Counted below with its response; the body cannot be read as asked.
      } else if (res.status >= 400 && options.expectedStatuses?.includes(res.status) !== true) {
        failure = `http_${res.status}`;
        sample = `${res.status} ${res.body?.toString('utf8').slice(0, 200) ?? ''}`.trim();
      } else if (location !== undefined && left === 0) {
        failure = 'too_many_redirects';
        sample = `HTTP ${res.status} to ${location} after ${redirects} redirect${redirects === 1 ? '' : 's'}`;
      }
      if (failure === undefined) recorder.recordResponse(endpoint, res.status, micros, res.bytes);
      else recorder.recordResponse(endpoint, res.status, micros, res.bytes, failure, sample);
      if (failure === 'content_decoding') throw new RequestFailedError(endpoint, failure, sample as string);
      if (location === undefined || left === 0) {
        const base = route === undefined ? this.ctx.target : route.base;
        return discard
          ? new Response(res.status, undefined, undefined, endpoint, base, hopPath)
          : new Response(res.status, res.headers, res.body, endpoint, base, hopPath);
      }
      // The next hop: its own request under the same endpoint, timed from now.
      left--;
      route = this.route(
        new URL(location, `${route === undefined ? this.ctx.target : route.base}${hopPath}`),
        endpoint,
      );
      if (becomesGet(res.status, m)) {
        m = 'GET';
        body = undefined;
        o = { ...o, json: undefined, body: undefined };
      }
      t0 = performance.now();
    }
  }

  /**
   * The headers of a request (or a socket's handshake) to the target's origin: defaults, cookies,
   * then its own. An object the caller made itself when nothing is added to it, so the lean
   * client can reuse the request's bytes while its headers object stays the same.
   */
  headersFor(o: HeaderOptions): Record<string, string> {
    const defaults = o.defaultHeaders === false ? NO_HEADERS : this.headers;
    const cookie = cookieHeader(this.cookies);
    if (o.json === undefined && cookie === undefined) {
      if (o.headers === undefined) return defaults;
      if (isEmpty(defaults)) return o.headers;
    }
    const out: Record<string, string> = { ...defaults };
    if (cookie !== undefined) out.cookie = cookie;
    if (
      o.json !== undefined &&
      !hasHeader(defaults, 'content-type') &&
      !hasHeader(o.headers, 'content-type')
    ) {
      out['content-type'] = JSON_TYPE;
    }
    return o.headers === undefined ? out : Object.assign(out, o.headers);
  }

  /**
   * A socket handshake's headers: the target's origin as a request's; another origin (undefined:
   * the target's) gets its own cookies and `vu.http.headers` only when asked (`defaultHeaders: true`).
   */
  handshakeHeaders(o: HeaderOptions, origin: string | undefined): Record<string, string> {
    return origin === undefined
      ? this.headersFor(o)
      : this.scopedHeaders(o, origin, o.defaultHeaders === true, false, false);
  }

  /**
   * The headers of a request that is not the common case: to another origin (`origin`), a hop
   * a redirect led away from the request's own origin (`strip`: its authorization and cookie
   * headers stay behind), or one asking for a compressed response.
   */
  private scopedHeaders(
    o: HeaderOptions,
    origin: string | undefined,
    sendDefaults: boolean,
    strip: boolean,
    acceptEncoding: boolean,
  ): Record<string, string> {
    const out: Record<string, string> = sendDefaults ? { ...this.headers } : {};
    const cookie = cookieHeader(origin === undefined ? this.cookies : this.jars?.get(origin));
    if (cookie !== undefined) out.cookie = cookie;
    if (o.json !== undefined && !hasHeader(out, 'content-type') && !hasHeader(o.headers, 'content-type')) {
      out['content-type'] = JSON_TYPE;
    }
    const own = o.headers;
    for (const name in own) {
      if (!strip || !STAY_HOME.has(name.toLowerCase())) out[name] = own[name] as string;
    }
    if (acceptEncoding && !hasHeader(out, 'accept-encoding')) out['accept-encoding'] = ACCEPT_ENCODING;
    return out;
  }

  /** The cookie jar of an origin (undefined: the target's, `vu.http.cookies`). */
  private jar(origin: string | undefined): Record<string, string> {
    if (origin === undefined) return this.cookies;
    this.jars ??= new Map();
    let jar = this.jars.get(origin);
    if (jar === undefined) {
      jar = {};
      this.jars.set(origin, jar);
    }
    return jar;
  }

  private route(url: string | URL, endpoint: string): Route {
    let parsed: URL | undefined;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new TypeError(
        `${endpoint}: ${JSON.stringify(String(url))} is neither a path on the target (starting with /) nor an http:// or https:// URL`,
      );
    }
    return this.ctx.clients.route(parsed);
  }
}

function cookieHeader(jar: Record<string, string> | undefined): string | undefined {
  let cookie: string | undefined;
  for (const name in jar) {
    const pair = `${name}=${jar[name]}`;
    cookie = cookie === undefined ? pair : `${cookie}; ${pair}`;
  }
  return cookie;
}

function isEmpty(headers: Record<string, string>): boolean {
  for (const _ in headers) return false;
  return true;
}

/** `lower` is a lower-case header name. */
function hasHeader(headers: Record<string, string> | undefined, lower: string): boolean {
  if (headers === undefined) return false;
  for (const name in headers) if (name.length === lower.length && name.toLowerCase() === lower) return true;
  return false;
}
