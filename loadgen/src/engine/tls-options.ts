import { rootCertificates } from 'node:tls';

/**
 * How https:// and wss:// test targets are trusted beyond Node's own root certificates. Plain
 * data, so it crosses into worker threads with the run's config.
 */
export interface TlsOptions {
  /** PEM certificate(s) trusted besides Node's roots: a test target's own CA (`--ca`, `options.http.ca`). */
  ca?: string;
  /** The file `ca` was read from, recorded in the summary. */
  caFile?: string;
  /** Accept any certificate, unverified (`--insecure`): for a test target only, never production. */
  insecure?: boolean;
}

/** What tls.connect takes (undici's `connect`, ws's options); undefined: Node's defaults. */
export function tlsConnectOptions(
  tls: TlsOptions | undefined,
): { ca?: string[]; rejectUnauthorized?: boolean } | undefined {
  if (tls === undefined || (tls.ca === undefined && tls.insecure !== true)) return undefined;
  return {
    // `ca` replaces Node's roots: they are kept, so the extra CA adds trust and removes none.
    ...(tls.ca === undefined ? {} : { ca: [...rootCertificates, tls.ca] }),
    ...(tls.insecure === true ? { rejectUnauthorized: false } : {}),
  };
}
