import {
  RequestFailedError,
  type RequestOptions,
  type VuHttp,
  type VuResponse,
} from '../api/scenario-api.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import {
  classifyTransportError,
  type HttpClient,
  type HttpResponse,
  keepsLatency,
  parseRawHeaders,
  setCookies,
} from './http-client.js';

/** What every user's HTTP session of one part shares. */
export interface VuHttpContext {
  client: HttpClient;
  recorder: WindowRecorder;
  /** True once the run is over: late failures of aborted requests are not measurements. */
  isClosing: () => boolean;
}

/** Which part of a user's life a request belongs to; setup endpoints are marked as such. */
export type VuPhase = 'setup' | 'iteration' | 'teardown';

const NO_OPTIONS: RequestOptions = {};
const NO_HEADERS: Record<string, string> = {};
const JSON_TYPE = 'application/json';

/** The user was stopped mid-iteration: the rest of the iteration is skipped, nothing is counted. */
export class UserStoppedError extends Error {
  constructor() {
    super('the virtual user was stopped');
    this.name = 'UserStoppedError';
  }
}

class Response implements VuResponse {
  private parsedHeaders: Record<string, string> | undefined;
  private text: string | undefined;

  constructor(
    readonly status: number,
    private readonly raw: HttpResponse,
    private readonly endpoint: string,
  ) {}

  get headers(): Record<string, string> {
    this.parsedHeaders ??= parseRawHeaders(this.raw.headers);
    return this.parsedHeaders;
  }

  get body(): string {
    this.text ??= this.raw.body?.toString('utf8') ?? '';
    return this.text;
  }

  json<T = unknown>(): T {
    try {
      return JSON.parse(this.body) as T;
    } catch {
      const start = JSON.stringify(this.body.slice(0, 60));
      throw new Error(`${this.endpoint}: the response (HTTP ${this.status}) is not JSON: ${start}`);
    }
  }
}

/**
 * One user's HTTP session: default headers, a cookie jar, and every request measured into the
 * part's recorder under its endpoint name. A request that gets no response is counted with its
 * failure kind and rejects with a RequestFailedError.
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
    const target = options.query === undefined ? path : withQuery(path, options.query);
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    const headers = this.headersFor(options);
    if (this.phase === 'setup') this.ctx.recorder.markSetup(endpoint);
    const t0 = this.startAt ?? performance.now();
    this.startAt = undefined;
    const recorder = this.ctx.recorder;
    let res: HttpResponse;
    try {
      res = await this.ctx.client.request(
        this.slot,
        method,
        target,
        headers,
        body,
        options.discardBody !== true,
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
    if (res.status >= 400 && options.expectedStatuses?.includes(res.status) !== true) {
      const sample = `${res.status} ${res.body?.toString('utf8').slice(0, 200) ?? ''}`.trim();
      recorder.recordResponse(endpoint, res.status, micros, res.bytes, `http_${res.status}`, sample);
    } else {
      recorder.recordResponse(endpoint, res.status, micros, res.bytes);
    }
    if (res.headers !== undefined) {
      for (const [name, value] of setCookies(res.headers)) this.cookies[name] = value;
    }
    return new Response(res.status, res, endpoint);
  }

  /**
   * The headers of a request (or a socket's handshake): defaults, cookies, then its own. An object
   * the caller made itself when nothing is added to it, so the lean client can reuse the request's
   * bytes while its headers object stays the same.
   */
  headersFor(o: Pick<RequestOptions, 'headers' | 'defaultHeaders' | 'json'>): Record<string, string> {
    const defaults = o.defaultHeaders === false ? NO_HEADERS : this.headers;
    let cookie: string | undefined;
    for (const name in this.cookies) {
      const pair = `${name}=${this.cookies[name]}`;
      cookie = cookie === undefined ? pair : `${cookie}; ${pair}`;
    }
    if (o.json === undefined && cookie === undefined) {
      if (o.headers === undefined) return defaults;
      if (isEmpty(defaults)) return o.headers;
    }
    const out: Record<string, string> = { ...defaults };
    if (cookie !== undefined) out.cookie = cookie;
    if (o.json !== undefined && !hasContentType(defaults) && !hasContentType(o.headers)) {
      out['content-type'] = JSON_TYPE;
    }
    return o.headers === undefined ? out : Object.assign(out, o.headers);
  }
}

function isEmpty(headers: Record<string, string>): boolean {
  for (const _ in headers) return false;
  return true;
}

function hasContentType(headers: Record<string, string> | undefined): boolean {
  if (headers === undefined) return false;
  for (const name in headers) if (name.length === 12 && name.toLowerCase() === 'content-type') return true;
  return false;
}

function withQuery(path: string, query: Record<string, string | number | boolean>): string {
  let out = path;
  let sep = path.includes('?') ? '&' : '?';
  for (const name in query) {
    out += `${sep}${encodeURIComponent(name)}=${encodeURIComponent(String(query[name]))}`;
    sep = '&';
  }
  return out;
}
