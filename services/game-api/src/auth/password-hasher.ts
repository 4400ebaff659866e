import { Piscina } from 'piscina';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Compares against `hash`, or against a decoy of equal cost when there is no user, so both
   * answers take the same time and do not reveal which usernames exist. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
  /** Hash tasks running or queued. */
  pending(): number;
  close(): Promise<void>;
}

export function createPasswordHasher(opts: { workers: number; cost: number }): PasswordHasher {
  const pool = new Piscina({
    filename: new URL('./password-worker.js', import.meta.url).href,
    minThreads: opts.workers,
    maxThreads: opts.workers,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  let decoy: Promise<string> | undefined;
  const hash = (password: string) => pool.run({ op: 'hash', password, cost: opts.cost }) as Promise<string>;
  return {
    hash,
    async verify(password, stored) {
      if (stored === undefined) {
        decoy ??= hash('decoy-password-for-unknown-users');
        await pool.run({ op: 'compare', password, hash: await decoy });
        return false;
      }
      return (await pool.run({ op: 'compare', password, hash: stored })) as boolean;
    },
    pending: () => pool.queueSize + pool.utilization * opts.workers,
    close: () => pool.destroy(),
  };
}
