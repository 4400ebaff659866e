import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, StackError, startGameApi } from '../src/index.js';

/**
 * The real game-api, from its source through tsx (this package depends on no workspace, so no
 * build of game-api is ordered before these tests), on the machine's MySQL and Redis.
 */
const entry = join(import.meta.dirname, '..', '..', '..', 'services', 'game-api', 'src', 'main.ts');
const mysql = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const database = `local_stack_test_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await promisify(execFile)('mysql', [
    '--protocol=tcp',
    `-h${mysql.hostname}`,
    `-P${mysql.port || '3306'}`,
    `-u${decodeURIComponent(mysql.username || 'root')}`,
    ...(mysql.password ? [`-p${decodeURIComponent(mysql.password)}`] : []),
    '-e',
    `DROP DATABASE IF EXISTS \`${database}\``,
  ]);
});

async function env(extra: Record<string, string> = {}): Promise<Record<string, string | undefined>> {
  return {
    PATH: process.env.PATH,
    PORT: String(await freePort()),
    MYSQL_URL: new URL(database, mysql).toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `local-stack-test:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: 'local-stack-test-secret-0123456789abcdef',
    PASSWORD_PEPPER: 'local-stack-test-pepper-0123456789abcdef',
    BCRYPT_COST: '4',
    HASH_WORKERS: '1',
    ...extra,
  };
}

describe('startGameApi', () => {
  it('runs game-api with the env as given and resolves once it is ready on its PORT', async () => {
    const given = await env({ ADMIN_TOKEN: 'local-stack-admin-token' });
    const api = await startGameApi({ entry, nodeArgs: ['--import', 'tsx'], env: given });
    try {
      expect(api.url).toBe(`http://127.0.0.1:${given.PORT}`);
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
      // The admin token of its env reached it: the fault switch answers it.
      const fault = await fetch(`${api.url}/admin/fault`, {
        headers: { 'x-admin-token': 'local-stack-admin-token' },
      });
      expect(fault.status).toBe(200);
    } finally {
      await api.stop();
    }
    expect(await api.exited).toBe(0); // SIGTERM: a graceful shutdown
  });

  it("fails with game-api's own message when it refuses its settings", async () => {
    const starting = startGameApi({
      entry,
      nodeArgs: ['--import', 'tsx'],
      env: await env({ BOTTLENECK_MODE: 'disk' }),
    });
    await expect(starting).rejects.toThrow(StackError);
    await expect(starting).rejects.toMatchObject({
      code: 'STACK_START_FAILED',
      message: expect.stringMatching(/^game-api exited\n[\s\S]*BOTTLENECK_MODE="disk"/),
    });
  });

  it('says what to do when the entry is missing or no PORT is given', async () => {
    await expect(startGameApi({ entry: '/nowhere/dist/main.js', env: await env() })).rejects.toMatchObject({
      code: 'STACK_TOOL_MISSING',
      message: '/nowhere/dist/main.js is missing: run npm run build first',
    });
    await expect(startGameApi({ entry, env: { ...(await env()), PORT: '0' } })).rejects.toThrow(
      /PORT=0 in its env: give the port it is to listen on/,
    );
  });
});
