import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { findTool } from './find-tool.js';
import { type StartedProcess, startDetached, waitUntil } from './managed-process.js';

const run = promisify(execFile);
const hint = 'install Redis 7 (apt-get install -y redis-server)';

/** A private Redis on 127.0.0.1:`port` that keeps nothing on disk (the leaderboard rebuilds from MySQL). */
export async function startRedis(dir: string, port: number, logFile: string): Promise<StartedProcess> {
  await mkdir(dir, { recursive: true });
  const server = await findTool(['redis-server'], hint);
  const cli = await findTool(['redis-cli'], hint);
  const started = startDetached({
    name: 'Redis',
    command: server,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    logFile,
  });
  await waitUntil(started, 'answering PING', async () => {
    const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(port), 'ping']);
    return stdout.trim() === 'PONG';
  });
  return started;
}
