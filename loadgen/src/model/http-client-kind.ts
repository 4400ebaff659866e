/**
 * The HTTP clients a run can use: loadgen's lean HTTP/1.1 client and undici (see
 * loadgen/README.md "HTTP clients"). The CLI offers them, the engine builds them and
 * `summary.json` records which one ran, so the names live here, below all three.
 */
export const HTTP_CLIENT_KINDS = ['undici', 'lean'] as const;
export type HttpClientKind = (typeof HTTP_CLIENT_KINDS)[number];
