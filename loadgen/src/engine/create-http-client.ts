import type { HttpClientKind } from '../model/http-client-kind.js';
import type { HttpClient, HttpClientOptions } from './http-client.js';
import { LeanHttpClient } from './lean-http-client.js';
import { UndiciHttpClient } from './undici-http-client.js';

export function createHttpClient(
  kind: HttpClientKind,
  target: string,
  options: HttpClientOptions,
): HttpClient {
  return kind === 'lean' ? new LeanHttpClient(target, options) : new UndiciHttpClient(target, options);
}
