import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RunningProcess, startRedis } from '@game-load-lab/local-stack';

/** A Redis of a test's own (never the shared one) that the test may stop and start again. */
export interface DisposableRedis {
  url: string;
  start(): Promise<void>;
  /** SIGKILL: Redis goes away at once, as in a crash. */
  stop(): Promise<void>;
  /** Stops it and deletes its folder. */
  dispose(): Promise<void>;
}

/** `redis-server` (or REDIS_SERVER_BIN) on a free port, without persistence. */
export async function disposableRedis(): Promise<DisposableRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'game-api-redis-'));
  const port = await freePort();
  let server: RunningProcess | undefined;
  const start = async () => {
    server = await startRedis({
      dir,
      port,
      logFile: join(dir, 'redis.log'),
      ...(process.env.REDIS_SERVER_BIN ? { server: process.env.REDIS_SERVER_BIN } : {}),
    });
  };
  const stop = async () => {
    if (!server?.running()) return;
    server.kill('SIGKILL');
    await server.exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
