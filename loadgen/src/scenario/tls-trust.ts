import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TlsOptions } from '../engine/tls-options.js';
import { LoadgenError } from '../errors.js';

/**
 * The run's TLS trust: `--ca <file>` (relative to the working directory) or the scenario's
 * `http.ca` (relative to the scenario file), read and checked here so that a wrong file stops
 * the run before any request; and `--insecure`. Undefined: Node's defaults.
 */
export function tlsTrust(
  flags: { ca?: string; insecure?: boolean },
  scenarioCa: string | undefined,
  scenarioFile: string,
): TlsOptions | undefined {
  const caFile =
    flags.ca !== undefined
      ? resolve(flags.ca)
      : scenarioCa === undefined
        ? undefined
        : resolve(dirname(scenarioFile), scenarioCa);
  const what = flags.ca !== undefined ? '--ca' : 'options.http.ca';
  if (caFile === undefined) return flags.insecure === true ? { insecure: true } : undefined;
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new LoadgenError(
      'LG_USAGE',
      `${what} ${caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the PEM file of the certificate(s) to trust`,
    );
  }
  try {
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no BEGIN CERTIFICATE line');
    new X509Certificate(ca);
  } catch (error) {
    throw new LoadgenError(
      'LG_USAGE',
      `${what} ${caFile} is not a PEM certificate (${(error as Error).message}); give the CA's certificate in PEM form (-----BEGIN CERTIFICATE-----)`,
    );
  }
  return { ca, caFile, ...(flags.insecure === true ? { insecure: true } : {}) };
}
