import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAdminToken } from '../../src/config/admin-token.js';
import { writeLabState } from '../../src/local/lab-state.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-token-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A local lab's `.lab` as `lab local up` writes it, with its game-api on 127.0.0.1:8000. */
const labDir = join(scratch, '.lab');
await writeLabState({
  dir: labDir,
  startedAt: new Date().toISOString(),
  processes: [],
  urls: { api: 'http://127.0.0.1:8000', prometheus: 'http://127.0.0.1:9090', loadgenMetrics: '' },
  env: { TARGET_URL: 'http://127.0.0.1:8000', ADMIN_TOKEN: 'local-lab-token-0123456789' },
});
const composeEnv = join(scratch, '.env');
await writeFile(composeEnv, '# compose\nAPI_PORT=8001\nADMIN_TOKEN=compose-lab-token-0123456789\n');

const find = (env: NodeJS.ProcessEnv, targetUrl: string, compose = composeEnv) =>
  findAdminToken({ env, targetUrl, localLabEnvFile: join(labDir, 'env'), composeEnvFile: compose });

describe('the admin token a run uses', () => {
  it('is ADMIN_TOKEN when the environment sets it', async () => {
    expect(await find({ ADMIN_TOKEN: 'mine-0123456789abcdef' }, 'http://localhost:8000')).toEqual({
      value: 'mine-0123456789abcdef',
      from: 'your environment',
    });
  });

  it("is the local lab's for that lab's game-api, by whichever loopback name", async () => {
    for (const target of [
      'http://localhost:8000',
      'http://127.0.0.1:8000',
      'http://127.1.2.3:8000',
      'http://[::1]:8000',
    ]) {
      expect(await find({}, target), target).toEqual({
        value: 'local-lab-token-0123456789',
        from: join(labDir, 'env'),
      });
    }
  });

  it("is the compose lab's for any other game-api", async () => {
    expect(await find({}, 'http://localhost:8001')).toEqual({
      value: 'compose-lab-token-0123456789',
      from: composeEnv,
    });
  });

  it('is none when no lab has one', async () => {
    expect(await find({}, 'http://localhost:8001', join(scratch, 'missing.env'))).toBeUndefined();
  });
});
