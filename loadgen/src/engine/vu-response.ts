import type { VuResponse } from '../api/scenario-api.js';
import { parseRawHeaders, type RawHeaders } from './http-client.js';

const EMPTY = new Uint8Array(0);

/** A response as a script reads it: headers parsed and body decoded as text only when read. */
export class Response implements VuResponse {
  private parsedHeaders: Record<string, string> | undefined;
  private text: string | undefined;

  constructor(
    readonly status: number,
    private readonly rawHeaders: RawHeaders | undefined,
    private readonly raw: Buffer | undefined,
    private readonly endpoint: string,
    /** The URL is `base + path`, joined only when a script reads it. */
    private readonly base: string,
    private readonly path: string,
  ) {}

  get headers(): Record<string, string> {
    this.parsedHeaders ??= parseRawHeaders(this.rawHeaders);
    return this.parsedHeaders;
  }

  get body(): string {
    this.text ??= this.raw?.toString('utf8') ?? '';
    return this.text;
  }

  get url(): string {
    return `${this.base}${this.path}`;
  }

  json<T = unknown>(): T {
    try {
      return JSON.parse(this.body) as T;
    } catch {
      const start = JSON.stringify(this.body.slice(0, 60));
      throw new Error(`${this.endpoint}: the response (HTTP ${this.status}) is not JSON: ${start}`);
    }
  }

  bytes(): Uint8Array {
    return this.raw ?? EMPTY;
  }
}
