import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureComposeSecrets } from '../../src/compose/compose-env.js';
import { readEnvFile } from '../../src/config/admin-token.js';
import { labCli } from '../helpers/lab-cli.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-compose-env-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const all = (outcome: string) => ({ ADMIN_TOKEN: outcome, JWT_SECRET: outcome, PASSWORD_PEPPER: outcome });

describe('npm run lab:up: the compose lab gets an admin token, a JWT secret and a pepper of its own', () => {
  it('writes new ones to .env when there are none, readable by its owner only, and keeps them after', async () => {
    const file = join(scratch, 'fresh.env');
    expect(await ensureComposeSecrets(file, {})).toEqual({ file, outcomes: all('created') });
    const written = await readEnvFile(file);
    expect(written.ADMIN_TOKEN).toMatch(/^[0-9a-f]{32}$/);
    expect(written.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(written.PASSWORD_PEPPER).toMatch(/^[0-9a-f]{64}$/);
    expect(written.PASSWORD_PEPPER).not.toBe(written.JWT_SECRET);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await ensureComposeSecrets(file, {})).toEqual({ file, outcomes: all('kept') });
    expect(await readEnvFile(file)).toEqual(written);
  });

  it('gives two labs two of each', async () => {
    const [a, b] = [join(scratch, 'a.env'), join(scratch, 'b.env')];
    await ensureComposeSecrets(a, {});
    await ensureComposeSecrets(b, {});
    const [ea, eb] = [await readEnvFile(a), await readEnvFile(b)];
    for (const name of ['ADMIN_TOKEN', 'JWT_SECRET', 'PASSWORD_PEPPER']) expect(ea[name]).not.toBe(eb[name]);
  });

  it("keeps the file's other settings and its pepper, and fills an empty ADMIN_TOKEN= in place", async () => {
    const file = join(scratch, 'settings.env');
    await writeFile(
      file,
      'API_PORT=8001\nADMIN_TOKEN=\nPASSWORD_PEPPER=mine-0123456789abcdef0123456789abcdef\nBCRYPT_COST=4',
    );
    expect((await ensureComposeSecrets(file, {})).outcomes).toEqual({
      ADMIN_TOKEN: 'created',
      JWT_SECRET: 'created',
      PASSWORD_PEPPER: 'kept',
    });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(
      /^API_PORT=8001\nADMIN_TOKEN=[0-9a-f]{32}\nPASSWORD_PEPPER=mine-0123456789abcdef0123456789abcdef\nBCRYPT_COST=4\nJWT_SECRET=[0-9a-f]{64}\n$/,
    );
  });

  it('leaves the file alone when they are set in the environment, which compose prefers', async () => {
    const file = join(scratch, 'untouched.env');
    const env = {
      ADMIN_TOKEN: 'mine-0123456789abcdef',
      JWT_SECRET: 'mine-0123456789abcdef0123456789abcdef',
      PASSWORD_PEPPER: 'pepper-0123456789abcdef0123456789abcdef',
    };
    expect(await ensureComposeSecrets(file, env)).toEqual({ file, outcomes: all('environment') });
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('`lab compose-env` says where each one is', async () => {
    const file = join(scratch, 'cli.env');
    const unset = { ADMIN_TOKEN: '', JWT_SECRET: '', PASSWORD_PEPPER: '' };
    const first = await labCli(['compose-env', '--file', file], unset).done;
    expect(first.code).toBe(0);
    expect(first.output).toContain(`ADMIN_TOKEN: a new one written to ${file}`);
    expect(first.output).toContain(`JWT_SECRET: a new one written to ${file}`);
    expect(first.output).toContain(`PASSWORD_PEPPER: a new one written to ${file}`);
    const again = await labCli(['compose-env', '--file', file], unset).done;
    expect(again.output).toContain(`ADMIN_TOKEN: kept in ${file}`);
    expect(again.output).toContain(`PASSWORD_PEPPER: kept in ${file}`);
  });
});
