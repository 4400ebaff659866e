import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort, startMariaDb } from '../src/index.js';
import { scratchDir } from './helpers/scratch.js';

const run = promisify(execFile);
const dir = await scratchDir('mariadb');
/** Small buffers: the test stores one row, and the machine is shared. */
const settings = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M'];

async function sql(port: number, statement: string): Promise<string> {
  const { stdout } = await run('mysql', [
    '--protocol=tcp',
    '-h127.0.0.1',
    `-P${port}`,
    '-uroot',
    '-N',
    '-B',
    '-e',
    statement,
  ]);
  return stdout.trim();
}

describe('startMariaDb', () => {
  it('starts a private server (root, no password, 127.0.0.1) that keeps its data across restarts', async () => {
    const port = await freePort();
    const options = { dir: `${dir}/server`, port, logFile: `${dir}/mariadb.log`, settings };
    const first = await startMariaDb(options);
    try {
      await sql(port, 'CREATE DATABASE kept; CREATE TABLE kept.t (v INT); INSERT INTO kept.t VALUES (42)');
    } finally {
      await first.stop();
    }
    await expect(sql(port, 'SELECT 1')).rejects.toThrow(); // stopped: nothing answers
    const second = await startMariaDb(options);
    try {
      expect(await sql(port, 'SELECT v FROM kept.t')).toBe('42');
    } finally {
      await second.stop();
    }
  });
});
