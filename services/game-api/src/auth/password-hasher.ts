import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Piscina } from 'piscina';

/**
 * Marks a hash of the current scheme: bcrypt over base64(HMAC-SHA-256(pepper, password)), as
 * OWASP's password storage guidance describes. bcrypt reads only the first 72 bytes of its
 * input, so without the pre-hash two passwords sharing their first 72 bytes were interchangeable;
 * the 44-character base64 digest depends on every byte and never contains a NUL. A stored hash
 * without the marker is a plain bcrypt hash from before the pre-hash (still verified, then
 * upgraded on the next successful login).
 */
export const PEPPERED_PREFIX = 'hmac-sha256:';

interface VerifyResult {
  ok: boolean;
  /** The password was right but the hash is of the old scheme: store `hash(password)` instead. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Compares against `hash`, or against a decoy of equal cost when there is no user, so both
   * answers take the same time and do not reveal which usernames exist. */
  verify(password: string, hash: string | undefined): Promise<VerifyResult>;
  /** Hash tasks running or queued. */
  pending(): number;
  close(): Promise<void>;
}

export function createPasswordHasher(opts: {
  workers: number;
  cost: number;
  pepper: string;
}): PasswordHasher {
  const pool = new Piscina({
    filename: new URL('./password-worker.js', import.meta.url).href,
    minThreads: opts.workers,
    maxThreads: opts.workers,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  const pepper: KeyObject = createSecretKey(Buffer.from(opts.pepper, 'utf8'));
  // Microseconds of work, so it runs here; only bcrypt goes to the worker threads.
  const prehash = (password: string) =>
    createHmac('sha256', pepper).update(password, 'utf8').digest('base64');
  const compare = (password: string, hash: string) =>
    pool.run({ op: 'compare', password, hash }) as Promise<boolean>;
  const hash = async (password: string) =>
    PEPPERED_PREFIX +
    ((await pool.run({ op: 'hash', password: prehash(password), cost: opts.cost })) as string);
  let decoy: Promise<string> | undefined;
  return {
    hash,
    async verify(password, stored) {
      if (stored === undefined) {
        decoy ??= hash('decoy-password-for-unknown-users');
        await compare(prehash(password), (await decoy).slice(PEPPERED_PREFIX.length));
        return { ok: false, needsRehash: false };
      }
      if (stored.startsWith(PEPPERED_PREFIX)) {
        const ok = await compare(prehash(password), stored.slice(PEPPERED_PREFIX.length));
        return { ok, needsRehash: false };
      }
      const ok = await compare(password, stored);
      return { ok, needsRehash: ok };
    },
    pending: () => pool.queueSize + pool.utilization * opts.workers,
    close: () => pool.destroy(),
  };
}
