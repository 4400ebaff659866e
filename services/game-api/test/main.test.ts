import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { processTestEnv as env, logRecords, runGameApi, startGameApi } from './helpers/game-api-process.js';

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An IPv4 address of this machine other than loopback, when it has one. */
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

describe('the game-api process', () => {
  it('finishes in-flight requests on SIGTERM, then exits 0 within 10 s', async () => {
    const api = await startGameApi({
      ...env(),
      BOTTLENECK_DELAY_MS: '1500',
      BOTTLENECK_ROUTE: 'GET /api/users',
      // debug: the fault logs when a request's delay has started, the event this test waits on.
      LOG_LEVEL: 'debug',
    });
    const username = `sd_${randomBytes(5).toString('hex')}`;
    const credentials = JSON.stringify({ username, password: 'password-123' });
    expect((await json(`${api.url}/api/users`, { method: 'POST', body: credentials })).status).toBe(201);
    const login = await json(`${api.url}/api/login`, { method: 'POST', body: credentials });
    const auth = { authorization: `Bearer ${login.body.token}` };

    const inFlight = json(`${api.url}/api/users`, { headers: auth });
    await api.line((l) => l.includes('"msg":"fault delay started"'));
    const signalled = Date.now();
    api.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.users)).toBe(true);
    expect(await api.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect((await logRecords(api)).some((r) => r.msg === 'stopped')).toBe(true);
    await expect(fetch(`${api.url}/livez`)).rejects.toThrow();
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    const bad = await runGameApi({ ...env(), BOTTLENECK_MODE: 'disk' });
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/BOTTLENECK_MODE="disk"/);
    const route = await runGameApi({ ...env(), BOTTLENECK_ROUTE: 'GET /api/nowhere' });
    expect(route.code).toBe(2);
    expect(route.output).toMatch(/BOTTLENECK_ROUTE.*unknown route.*GET \/api\/users/);
    expect(route.output).toMatch(/WS end, WS move, WS queue/);
    const secret = await runGameApi({ ...env(), JWT_SECRET: '' });
    expect(secret.code).toBe(2);
    expect(secret.output).toMatch(/JWT_SECRET is required/);
  });

  it.skipIf(otherAddress === undefined)(
    `listens on HOST only: HOST=127.0.0.1 does not answer on ${otherAddress}, the default does`,
    async () => {
      const local = await startGameApi({ ...env(), HOST: '127.0.0.1' });
      const everywhere = await startGameApi(env());
      try {
        const port = (api: { url: string }) => new URL(api.url).port;
        expect((await fetch(`http://127.0.0.1:${port(local)}/livez`)).status).toBe(200);
        await expect(fetch(`http://${otherAddress}:${port(local)}/livez`)).rejects.toThrow();
        expect((await fetch(`http://${otherAddress}:${port(everywhere)}/livez`)).status).toBe(200);
        const listening = (await logRecords(local)).find((r) => r.msg === 'listening');
        expect(listening).toMatchObject({ host: '127.0.0.1' });
      } finally {
        await Promise.all([local.stop(), everywhere.stop()]);
      }
    },
  );
});
