import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** The certificate's PEM file: give it to `--ca` to trust it. */
  certFile: string;
  cert: string;
  key: string;
}

let made: TestCertificate | undefined;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per test process with the
 * openssl CLI (no CA in any trust store knows it, as with a test target's own certificate).
 */
export function selfSignedCertificate(): TestCertificate {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), 'loadgen-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  made = { certFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  return made;
}
