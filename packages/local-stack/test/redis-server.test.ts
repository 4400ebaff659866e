import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort, startRedis } from '../src/index.js';
import { scratchDir } from './helpers/scratch.js';

const run = promisify(execFile);
const dir = await scratchDir('redis');

async function redis(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout.trim();
}

describe('startRedis', () => {
  it('starts a private Redis on the port that forgets everything when stopped', async () => {
    const port = await freePort();
    const options = { dir: `${dir}/server`, port, logFile: `${dir}/redis.log` };
    const first = await startRedis(options);
    try {
      expect(await redis(port, 'SET', 'k', 'v')).toBe('OK');
      expect(await redis(port, 'GET', 'k')).toBe('v');
    } finally {
      await first.stop();
    }
    const second = await startRedis(options);
    try {
      expect(await redis(port, 'EXISTS', 'k')).toBe('0');
    } finally {
      await second.stop();
    }
  });
});
