import { MAX_REDIRECTS } from '../api/options-schema.js';
import type { RequestOptions } from '../api/scenario-api.js';
import type { RequestBody } from './http-client.js';

// How a script's request options become what the HTTP clients send: body, query, redirects.

/** The statuses a request with `redirects` follows, when they carry a Location. */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The hop after this redirect is a GET without the body: after a 303 (but a HEAD), and after a
 * 301 or 302 answering a POST, as browsers and fetch do; 307 and 308 keep method and body.
 */
export function becomesGet(status: number, method: string): boolean {
  return status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
}

/** A request's own `redirects`, checked: a bad one is the script's error. */
export function redirectLimit(value: number, endpoint: string): number {
  if (Number.isInteger(value) && value >= 0 && value <= MAX_REDIRECTS) return value;
  throw new TypeError(`${endpoint}: redirects ${value} must be a whole number from 0 to ${MAX_REDIRECTS}`);
}

/** A body as the clients take it: a string or bytes (an ArrayBuffer viewed, not copied). */
export function bodyOf(body: RequestOptions['body']): RequestBody | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError(
    `a request body is a string, a Uint8Array, a Buffer or an ArrayBuffer (an object goes in \`json\`), not ${Object.prototype.toString.call(body)}`,
  );
}

/** `query` appended to the path, URL-encoded. */
export function withQuery(path: string, query: Record<string, string | number | boolean>): string {
  let out = path;
  let sep = path.includes('?') ? '&' : '?';
  for (const name in query) {
    out += `${sep}${encodeURIComponent(name)}=${encodeURIComponent(String(query[name]))}`;
    sep = '&';
  }
  return out;
}
