import { freePort, type RunningProcess } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGameApi } from '../../src/local/game-api-server.js';
import { FaultClient } from '../../src/runs/fault-client.js';
import { withFault } from '../../src/runs/fault-toggle.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
let client: FaultClient;
const extra: RunningProcess[] = [];
const wanted = { delayMs: 1000, route: 'GET /api/users', mode: 'app' } as const;
const off = { delayMs: 0, route: 'GET /api/users', mode: 'app' } as const;

beforeAll(async () => {
  lab = await startTestLab();
  client = new FaultClient(lab.state.urls.api, { value: lab.state.env.ADMIN_TOKEN ?? '', from: 'the lab' });
});
afterAll(async () => {
  for (const p of extra) await p.stop();
  await lab?.stop();
});

/** A second game-api on the lab's MariaDB and Redis, started as a user would with env vars. */
async function apiWithEnv(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  extra.push(
    await startGameApi({
      port,
      mysqlUrl: lab.state.env.MYSQL_URL ?? '',
      redisUrl: lab.state.env.REDIS_URL ?? '',
      adminToken: '',
      jwtSecret: 'x'.repeat(40),
      passwordPepper: 'p'.repeat(40),
      passthrough: { BCRYPT_COST: '4', ...env },
      logFile: `${lab.dir}/logs/game-api-${port}.log`,
      path: process.env.PATH,
    }),
  );
  return `http://127.0.0.1:${port}`;
}

describe('withFault (npm run bottleneck)', () => {
  it('turns the fault on for the run, visibly in /metrics, and restores it afterwards', async () => {
    const seen = await withFault(
      client,
      wanted,
      () => undefined,
      async (plan) => {
        expect(plan.kind).toBe('toggled');
        return { api: await client.get(), gauge: await client.reportedDelayMs() };
      },
    );
    expect(seen.api).toEqual(wanted);
    expect(seen.gauge).toBe(1000);
    expect(await client.get()).toEqual(off);
    expect(await client.reportedDelayMs()).toBe(0);
  });

  it('restores the previous setting when the run fails', async () => {
    await expect(
      withFault(
        client,
        wanted,
        () => undefined,
        async () => {
          throw new Error('loadgen crashed');
        },
      ),
    ).rejects.toThrow('loadgen crashed');
    expect(await client.get()).toEqual(off);
  });

  it('leaves a fault that is already on as it is', async () => {
    const earlier = { delayMs: 250, route: 'GET /api/me', mode: 'app' } as const;
    await client.set(earlier);
    try {
      const plan = await withFault(
        client,
        wanted,
        () => undefined,
        async (p) => p,
      );
      expect(plan).toEqual({ kind: 'already-on', current: earlier });
      expect(await client.get()).toEqual(earlier);
    } finally {
      await client.set(off);
    }
  });

  it('runs with the fault game-api was started with when it has no admin endpoint', async () => {
    const url = await apiWithEnv({ BOTTLENECK_DELAY_MS: '300' });
    const noAdmin = new FaultClient(url, { value: 'whatever-token-1234', from: 'the test' });
    expect(await noAdmin.get()).toBe('disabled');
    const plan = await withFault(
      noAdmin,
      wanted,
      () => undefined,
      async (p) => p,
    );
    expect(plan).toEqual({ kind: 'from-env', delayMs: 300 });
  });

  it('refuses to run a "bottleneck" with no fault and no way to turn one on', async () => {
    const url = await apiWithEnv({});
    const noAdmin = new FaultClient(url, { value: 'whatever-token-1234', from: 'the test' });
    let ran = false;
    await expect(
      withFault(
        noAdmin,
        wanted,
        () => undefined,
        async () => {
          ran = true;
        },
      ),
    ).rejects.toThrow(/BOTTLENECK_DELAY_MS=1000/);
    expect(ran).toBe(false);
  });

  it('says when the admin token is wrong, which one it used and where the right one is', async () => {
    const wrong = new FaultClient(lab.state.urls.api, {
      value: 'wrong-token-0123456789',
      from: '/tmp/x/.env',
    });
    await expect(wrong.get()).rejects.toThrow(
      `the ADMIN_TOKEN from /tmp/x/.env is not the one of game-api at ${lab.state.urls.api}`,
    );
  });

  it('says where to get a token when the run has none and game-api wants one', async () => {
    let ran = false;
    const run = withFault(
      new FaultClient(lab.state.urls.api, undefined),
      wanted,
      () => undefined,
      async () => {
        ran = true;
      },
    );
    await expect(run).rejects.toThrow('asks for an admin token and no ADMIN_TOKEN is set');
    await expect(run).rejects.toThrow(
      /\.lab\/env .*\.env beside docker-compose\.yml .*game-api-admin Secret/,
    );
    expect(ran).toBe(false);
  });
});
