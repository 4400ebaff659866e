import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { findTool } from './find-tool.js';
import { type RunningProcess, startProcess, untilReady } from './managed-process.js';

const run = promisify(execFile);
const hint = 'install Redis 7 (apt-get install -y redis-server)';

export interface RedisOptions {
  /** Its working directory (created when missing); it keeps nothing there. */
  dir: string;
  port: number;
  /** Where its output goes (appended); the server then outlives this process. */
  logFile: string;
  /** The server binary; default `redis-server` found by findTool. */
  server?: string;
}

/** A private Redis on 127.0.0.1:`port` that keeps nothing on disk (game-api rebuilds its caches from MySQL). */
export async function startRedis(o: RedisOptions): Promise<RunningProcess> {
  await mkdir(o.dir, { recursive: true });
  const server = o.server ?? (await findTool(['redis-server'], hint));
  const cli = await findTool(['redis-cli'], hint);
  const started = startProcess({
    name: 'Redis',
    command: server,
    args: [
      '--port',
      String(o.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      o.dir,
    ],
    logFile: o.logFile,
  });
  await untilReady(started, 'answering PING', async () => {
    const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(o.port), 'ping']);
    return stdout.trim() === 'PONG';
  });
  return started;
}
