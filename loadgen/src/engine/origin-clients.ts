import type { HttpClientKind } from '../model/http-client-kind.js';
import { createHttpClient } from './create-http-client.js';
import type { HttpClient, HttpClientOptions } from './http-client.js';

/** Where a request to an absolute URL goes. */
export interface Route {
  client: HttpClient;
  /** The path on that client (after the target's base path, on the target's own pool). */
  path: string;
  /** Prefix of `path` that makes the whole URL again. */
  base: string;
  /** The URL's origin (scheme://host:port); undefined when it is the target's. */
  origin: string | undefined;
}

/**
 * The HTTP pools of one part: the target's, opened with the run, and one per other origin a
 * script sends to (`vu.http.get('https://auth.example/token')`), opened on its first request
 * with the same connection settings. An https:// origin uses undici; an http:// one uses the
 * run's client when the target is http:// too (`--http-client`), else the lean client.
 */
export class OriginClients {
  readonly target: HttpClient;
  private readonly others = new Map<string, HttpClient>();
  private readonly targetOrigin: string;
  private readonly basePath: string;
  private readonly httpKind: HttpClientKind;
  private destroyed = false;

  constructor(
    kind: HttpClientKind,
    private readonly targetUrl: string,
    private readonly options: HttpClientOptions,
  ) {
    const url = new URL(targetUrl);
    this.targetOrigin = url.origin;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.httpKind = url.protocol === 'http:' ? kind : 'lean';
    this.target = createHttpClient(kind, targetUrl, options);
  }

  /** The pool of an absolute http(s):// URL; the target's own when the URL is under the target. */
  route(url: URL): Route {
    const path = `${url.pathname}${url.search}`;
    if (url.origin === this.targetOrigin) {
      const base = this.basePath;
      if (base === '') return { client: this.target, path, base: this.targetUrl, origin: undefined };
      if (path.startsWith(`${base}/`) || path.startsWith(`${base}?`) || path === base) {
        const rest = path.slice(base.length);
        return {
          client: this.target,
          path: rest.startsWith('/') ? rest : `/${rest}`,
          base: this.targetUrl,
          origin: undefined,
        };
      }
      // Outside the target's base path: same origin (same credentials), a pool without the base.
      return { client: this.pool(url.origin, url.protocol), path, base: url.origin, origin: undefined };
    }
    return { client: this.pool(url.origin, url.protocol), path, base: url.origin, origin: url.origin };
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await Promise.all([this.target.destroy(), ...[...this.others.values()].map((c) => c.destroy())]);
  }

  private pool(origin: string, protocol: string): HttpClient {
    let c = this.others.get(origin);
    if (c === undefined) {
      c = createHttpClient(protocol === 'https:' ? 'undici' : this.httpKind, origin, this.options);
      this.others.set(origin, c);
      // Asked for after the run's end: it fails its request at once, as the other pools do.
      if (this.destroyed) void c.destroy();
    }
    return c;
  }
}
