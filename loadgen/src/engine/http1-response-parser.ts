import type { HttpResponse } from './http-client.js';

/**
 * The response side of HTTP/1.1 for loadgen's lean client (RFC 9112): one response at a time
 * (no pipelining), bodies framed by Content-Length, chunked transfer coding or the end of the
 * connection; 1xx interim responses skipped. It keeps a body only when asked to (or on an error
 * status) and otherwise only counts its bytes. The bytes it is fed may be a reused read buffer:
 * whatever it keeps past execute() it copies.
 */

/** `bytes` counts body bytes after chunked decoding, as undici's onData would have. */
export interface ParsedResponse extends HttpResponse {
  /** The connection may carry another request. */
  keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=N`, in ms, when it sent one. */
  keepAliveTimeoutMs: number | undefined;
}

/** Malformed or unexpected bytes from the server; the connection cannot be used again. */
class ProtocolError extends Error {
  readonly code = 'LG_HTTP_PROTOCOL';
}

const MAX_HEAD_BYTES = 64 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');

const IDLE = 0;
const HEAD = 1;
const LENGTH = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_END = 5;
const TRAILERS = 6;
const UNTIL_CLOSE = 7;

const NO_BODY = 0;
const BY_LENGTH = 1;
const CHUNKED = 2;
const BY_CLOSE = 3;

/** What a response head says; the last one is kept, since a server repeats its heads. */
interface Head {
  bytes: Buffer;
  status: number;
  keepAlive: boolean;
  keepAliveTimeoutMs: number | undefined;
  framing: number;
  length: number;
}

/** The value of header `name` (lower case, with the leading CRLF and trailing colon), or undefined. */
function headerValue(lowerHead: string, name: string): string | undefined {
  const at = lowerHead.indexOf(name);
  if (at < 0) return undefined;
  const start = at + name.length;
  const end = lowerHead.indexOf('\r\n', start);
  return lowerHead.slice(start, end < 0 ? lowerHead.length : end).trim();
}

function parseHead(bytes: Buffer): Head {
  const head = bytes.toString('latin1');
  if (!head.startsWith('HTTP/1.') || head.charCodeAt(8) !== 32) {
    throw new ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(head.slice(0, 40))}`);
  }
  const status = Number(head.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new ProtocolError(`bad status code: ${JSON.stringify(head.slice(9, 12))}`);
  }
  const lower = head.toLowerCase();
  const http10 = head.charCodeAt(7) === 48;
  const connection = headerValue(lower, '\r\nconnection:');
  let keepAlive = http10
    ? connection?.includes('keep-alive') === true
    : connection === undefined || !connection.includes('close');
  const keepAliveHeader = headerValue(lower, '\r\nkeep-alive:');
  const timeout = keepAliveHeader === undefined ? undefined : /timeout=(\d+)/.exec(keepAliveHeader)?.[1];
  let framing = BY_CLOSE;
  let length = 0;
  const transferEncoding = headerValue(lower, '\r\ntransfer-encoding:');
  const contentLength = headerValue(lower, '\r\ncontent-length:');
  if (status === 204 || status === 304 || status < 200) {
    framing = NO_BODY;
  } else if (transferEncoding !== undefined) {
    framing = transferEncoding.endsWith('chunked') ? CHUNKED : BY_CLOSE;
  } else if (contentLength !== undefined) {
    if (!/^\d+$/.test(contentLength)) throw new ProtocolError(`bad Content-Length: ${contentLength}`);
    framing = BY_LENGTH;
    length = Number(contentLength);
  }
  if (framing === BY_CLOSE) keepAlive = false;
  return {
    bytes: Buffer.from(bytes),
    status,
    keepAlive,
    keepAliveTimeoutMs: timeout === undefined ? undefined : Number(timeout) * 1000,
    framing,
    length,
  };
}

export class Http1ResponseParser {
  private state = IDLE;
  private keepBody = false;
  private isHead = false;
  private pendingHead: Buffer | undefined;
  private line = '';
  private remaining = 0;
  private lastHead: Head | undefined;

  private current: Head | undefined;
  private bytes = 0;
  private chunks: Buffer[] | undefined;
  private bytesSeen = false;
  private done = false;

  constructor(private readonly onResponse: (response: ParsedResponse) => void) {}

  /** A request was written: its response is next. */
  expect(keepBody: boolean, isHead: boolean): void {
    this.state = HEAD;
    this.keepBody = keepBody;
    this.isHead = isHead;
    this.pendingHead = undefined;
    this.bytesSeen = false;
    this.done = false;
  }

  /** Whether any byte of the expected response has arrived (a reused socket closing before is retryable). */
  get started(): boolean {
    return this.bytesSeen;
  }

  /**
   * Feed `data[0, length)` from the socket; throws ProtocolError on anything that is not a valid
   * response, including bytes after the response (no request asked for them).
   */
  execute(data: Buffer, length = data.length): void {
    let off = 0;
    if (length > 0) this.bytesSeen = true;
    while (off < length) {
      switch (this.state) {
        case IDLE:
          throw new ProtocolError(
            `${length - off} unexpected bytes from the server with no request in flight`,
          );
        case HEAD:
          off = this.head(data, off, length);
          break;
        case LENGTH:
          off = this.body(data, off, length);
          if (this.remaining === 0) this.complete();
          break;
        case CHUNK_SIZE:
        case TRAILERS:
          off = this.lines(data, off, length);
          break;
        case CHUNK_DATA:
          off = this.body(data, off, length);
          if (this.remaining === 0) {
            this.state = CHUNK_END;
            this.remaining = 2;
          }
          break;
        case CHUNK_END: {
          // The CRLF after a chunk's data, possibly split across reads.
          if (data[off] !== (this.remaining === 2 ? 13 : 10)) {
            throw new ProtocolError('chunk data not followed by CRLF');
          }
          off++;
          if (--this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        }
        case UNTIL_CLOSE:
          this.take(data, off, length);
          off = length;
          break;
      }
    }
    // Emitted only once every byte is accounted for: bytes after a complete response threw above.
    this.emit();
  }

  /**
   * The server closed the connection. A body read until close is complete now; true when
   * nothing was cut short (no response expected, or that one just completed).
   */
  finish(): boolean {
    if (this.state === UNTIL_CLOSE) {
      this.complete();
      this.emit();
      return true;
    }
    return this.state === IDLE;
  }

  /** Parses a head that ends in `data` (or buffers its start); returns the offset after it. */
  private head(data: Buffer, off: number, length: number): number {
    let buf = data;
    let start = off;
    let end = length;
    if (this.pendingHead !== undefined) {
      buf = Buffer.concat([this.pendingHead, data.subarray(off, length)]);
      start = 0;
      end = buf.length;
    }
    const at = buf.indexOf(CRLFCRLF, start);
    if (at < 0 || at + 4 > end) {
      if (end - start > MAX_HEAD_BYTES) throw new ProtocolError(`response head over ${MAX_HEAD_BYTES} bytes`);
      this.pendingHead = Buffer.from(buf.subarray(start, end));
      return length;
    }
    const consumedOfData = this.pendingHead === undefined ? at + 4 : length - (end - (at + 4));
    this.pendingHead = undefined;

    // A server sends the same head over and over (node:http's Date changes once a second).
    const last = this.lastHead;
    const h =
      last !== undefined &&
      last.bytes.length === at - start &&
      buf.compare(last.bytes, 0, last.bytes.length, start, at) === 0
        ? last
        : parseHead(buf.subarray(start, at));
    this.lastHead = h;

    if (h.status < 200) {
      if (h.status === 101) {
        throw new ProtocolError('the server switched protocols (101); loadgen speaks HTTP/1.1 only');
      }
      return consumedOfData; // 100 Continue, 103 Early Hints: the real response follows.
    }
    this.current = h;
    this.bytes = 0;
    this.chunks = this.keepBody || h.status >= 400 ? [] : undefined;
    if (this.isHead || h.framing === NO_BODY) {
      this.complete();
    } else if (h.framing === BY_LENGTH) {
      this.remaining = h.length;
      if (h.length === 0) this.complete();
      else this.state = LENGTH;
    } else if (h.framing === CHUNKED) {
      this.state = CHUNK_SIZE;
      this.line = '';
    } else {
      this.state = UNTIL_CLOSE;
    }
    return consumedOfData;
  }

  /** Chunk-size lines and trailer lines, which may arrive split across reads. */
  private lines(data: Buffer, off: number, length: number): number {
    const nl = data.indexOf(10, off);
    if (nl < 0 || nl >= length) {
      this.line += data.toString('latin1', off, length);
      if (this.line.length > 8192) throw new ProtocolError('chunk-size or trailer line over 8 KiB');
      return length;
    }
    const line = (this.line + data.toString('latin1', off, nl)).replace(/\r$/, '');
    this.line = '';
    if (this.state === TRAILERS) {
      if (line === '') this.complete();
      return nl + 1;
    }
    const size = line.split(';', 1)[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,8}$/.test(size)) throw new ProtocolError(`bad chunk size: ${JSON.stringify(line)}`);
    this.remaining = Number.parseInt(size, 16);
    this.state = this.remaining === 0 ? TRAILERS : CHUNK_DATA;
    return nl + 1;
  }

  /** Up to `remaining` body bytes from `data[off, length)`; returns the offset after them. */
  private body(data: Buffer, off: number, length: number): number {
    const n = Math.min(this.remaining, length - off);
    this.take(data, off, off + n);
    this.remaining -= n;
    return off + n;
  }

  private take(data: Buffer, from: number, to: number): void {
    this.bytes += to - from;
    // Copied: the read buffer is reused for the next read.
    if (this.chunks !== undefined && to > from) this.chunks.push(Buffer.from(data.subarray(from, to)));
  }

  private complete(): void {
    this.state = IDLE;
    this.done = true;
  }

  private emit(): void {
    if (!this.done) return;
    this.done = false;
    const h = this.current as Head;
    const { chunks } = this;
    this.chunks = undefined;
    this.onResponse({
      status: h.status,
      bytes: this.bytes,
      body: chunks === undefined ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      // The head's own copy (cached across equal heads), so keeping it costs nothing.
      headers: this.keepBody ? h.bytes : undefined,
      keepAlive: h.keepAlive,
      keepAliveTimeoutMs: h.keepAliveTimeoutMs,
    });
  }
}
