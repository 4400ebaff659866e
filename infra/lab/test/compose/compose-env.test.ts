import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureComposeAdminToken } from '../../src/compose/compose-env.js';
import { readEnvFile } from '../../src/config/admin-token.js';
import { labCli } from '../helpers/lab-cli.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-compose-env-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('npm run lab:up: the compose lab gets an admin token of its own', () => {
  it('writes a new one to .env when there is none, readable by its owner only, and keeps it after', async () => {
    const file = join(scratch, 'fresh.env');
    expect(await ensureComposeAdminToken(file, {})).toEqual({ file, outcome: 'created' });
    const { ADMIN_TOKEN: token } = await readEnvFile(file);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await ensureComposeAdminToken(file, {})).toEqual({ file, outcome: 'kept' });
    expect((await readEnvFile(file)).ADMIN_TOKEN).toBe(token);
  });

  it('gives two labs two tokens', async () => {
    const [a, b] = [join(scratch, 'a.env'), join(scratch, 'b.env')];
    await ensureComposeAdminToken(a, {});
    await ensureComposeAdminToken(b, {});
    expect((await readEnvFile(a)).ADMIN_TOKEN).not.toBe((await readEnvFile(b)).ADMIN_TOKEN);
  });

  it("keeps the file's other settings and fills an empty ADMIN_TOKEN= in place", async () => {
    const file = join(scratch, 'settings.env');
    await writeFile(file, 'API_PORT=8001\nADMIN_TOKEN=\nBCRYPT_COST=4');
    await ensureComposeAdminToken(file, {});
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^API_PORT=8001\nADMIN_TOKEN=[0-9a-f]{32}\nBCRYPT_COST=4$/);
  });

  it('leaves the file alone when ADMIN_TOKEN is set in the environment, which compose prefers', async () => {
    const file = join(scratch, 'untouched.env');
    expect(await ensureComposeAdminToken(file, { ADMIN_TOKEN: 'mine-0123456789abcdef' })).toEqual({
      file,
      outcome: 'environment',
    });
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('`lab compose-env` says where the token is', async () => {
    const file = join(scratch, 'cli.env');
    const first = await labCli(['compose-env', '--file', file], { ADMIN_TOKEN: '' }).done;
    expect(first.code).toBe(0);
    expect(first.output).toContain(`ADMIN_TOKEN: a new one written to ${file}`);
    const again = await labCli(['compose-env', '--file', file], { ADMIN_TOKEN: '' }).done;
    expect(again.output).toContain(`ADMIN_TOKEN: kept in ${file}`);
  });
});
