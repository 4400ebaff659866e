import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RunningProcess, startMariaDb } from '@game-load-lab/local-stack';

/**
 * A MariaDB (or MySQL) server of a test's own, never the shared one: its own data directory
 * and port, so the test may stop it and start it again. Root has no password on 127.0.0.1.
 */
export interface DisposableMariaDb {
  /** `mysql://root@127.0.0.1:<port>/` without a database. */
  serverUrl: string;
  start(): Promise<void>;
  /** SIGTERM, as a stopping server gets it; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

/** Small buffers: the test stores a handful of rows, and the machine is shared. */
const SMALL = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M'];

/** MARIADBD_BIN chooses the server binary (README "Tests"); by default mariadbd or mysqld. */
export async function disposableMariaDb(): Promise<DisposableMariaDb> {
  const dir = await mkdtemp(join(tmpdir(), 'game-api-mariadb-'));
  const port = await freePort();
  let server: RunningProcess | undefined;
  const start = async () => {
    server = await startMariaDb({
      dir,
      port,
      logFile: join(dir, 'mariadbd.log'),
      settings: SMALL,
      ...(process.env.MARIADBD_BIN ? { server: process.env.MARIADBD_BIN } : {}),
    });
  };
  const stop = async () => {
    await server?.stop();
  };
  await start().catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    serverUrl: `mysql://root@127.0.0.1:${port}/`,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
