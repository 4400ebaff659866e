import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** Sent with a request that asks for decompression, unless it sets its own `accept-encoding`. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** A body whose Content-Encoding loadgen cannot undo, or whose bytes do not decode. */
class ContentDecodingError extends Error {
  readonly code = 'LG_CONTENT_DECODING';
}

function inflate(body: Buffer): Buffer {
  try {
    return inflateSync(body);
  } catch {
    // "deflate" is zlib-wrapped by the RFC, but some servers send it raw (browsers accept both).
    return inflateRawSync(body);
  }
}

const DECODERS: Record<string, (body: Buffer) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflate,
  br: brotliDecompressSync,
  identity: (body) => body,
};

/**
 * The body with its Content-Encoding undone (codings are applied in the order listed, so undone
 * last first). node:zlib's synchronous calls: a body is decoded after its response was timed, so
 * the decoding adds client CPU, not latency.
 */
export function decodeBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  if (contentEncoding === undefined || body.length === 0) return body;
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  let out = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i] as string;
    const decode = DECODERS[coding];
    if (decode === undefined) {
      throw new ContentDecodingError(
        `content-encoding ${coding} is not one loadgen decodes (gzip, deflate, br)`,
      );
    }
    try {
      out = decode(out);
    } catch (error) {
      throw new ContentDecodingError(`the ${coding} body does not decode: ${(error as Error).message}`);
    }
  }
  return out;
}
