import { readFile, stat } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { isAlive, waitFor } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readEnvFile } from '../../src/config/admin-token.js';
import { PrometheusApi } from '../../src/dashboards/prometheus-api.js';
import { LabError } from '../../src/errors.js';
import type { LabState } from '../../src/local/lab-state.js';
import { defaultApiHost, localLabStatus, startLocalLab, stopLocalLab } from '../../src/local/local-lab.js';
import { repoPath } from '../../src/repo-paths.js';
import { promtool, shippedRuleFiles } from '../checks/promtool.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
let second: LabState | undefined;
beforeAll(async () => {
  lab = await startTestLab();
});
// Stops whichever lab the folder records last.
afterAll(() => lab?.stop());

/** This machine's IPv4 addresses other than loopback (`ip -4 addr`): where the network reaches it. */
const networkAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
  .map((a) => a!.address);

/** What GET /livez on `address` at the lab's game-api port gets: 200, or the connection error's code. */
async function livezOn(address: string, apiUrl: string): Promise<number | string> {
  const url = `http://${address}:${new URL(apiUrl).port}/livez`;
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
  } catch (err) {
    return ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? String(err);
  }
}

describe('lab local up', () => {
  it('runs MariaDB, Redis, game-api and Prometheus, and game-api is ready on both stores', async () => {
    const status = await localLabStatus(lab.dir);
    expect(status?.running).toEqual({ MariaDB: true, Redis: true, 'game-api': true, Prometheus: true });
    const res = await fetch(`${lab.state.urls.api}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ready',
      checks: { mysql: expect.anything(), redis: expect.anything() },
    });
  });

  it('prints the env that points the npm scripts at it, with an admin token of its own', async () => {
    expect(lab.state.env).toMatchObject({
      TARGET_URL: lab.state.urls.api,
      ADMIN_TOKEN: expect.stringMatching(/^[0-9a-f]{32}$/),
      PROMETHEUS_URL: lab.state.urls.prometheus,
      // Its Prometheus scrapes loadgen on loopback: the runs' metrics stay on this machine.
      LOADGEN_METRICS_HOST: '127.0.0.1',
    });
    expect(Number(lab.state.env.LOADGEN_METRICS_PORT)).toBeGreaterThan(0);
    expect(await readEnvFile(`${lab.dir}/env`)).toEqual(lab.state.env);
    // The token is in both files: nobody else on the machine reads them.
    for (const file of ['env', 'state.json'])
      expect((await stat(`${lab.dir}/${file}`)).mode & 0o777).toBe(0o600);
  });

  it('runs game-api on 127.0.0.1 only', async () => {
    expect(new URL(lab.state.urls.api).hostname).toBe('127.0.0.1');
    expect(await livezOn('127.0.0.1', lab.state.urls.api)).toBe(200);
  });

  it.runIf(networkAddresses.length > 0)(
    `game-api cannot be reached on this machine's network addresses (${networkAddresses.join(', ')})`,
    async () => {
      for (const address of networkAddresses) {
        expect(await livezOn(address, lab.state.urls.api), address).toBe('ECONNREFUSED');
      }
    },
  );

  it('has Prometheus scrape game-api with the shipped jobs and evaluate the shipped rules', async () => {
    const prometheus = new PrometheusApi(lab.state.urls.prometheus);
    const up = await waitFor(
      async () => (await prometheus.targets()).find((t) => t.job === 'game-api' && t.health === 'up'),
      { what: 'game-api scraped', timeoutMs: 20_000 },
    );
    expect(up.scrapeUrl).toBe(`${lab.state.urls.api}/metrics`);
    const jobs = (await prometheus.targets()).map((t) => t.job).sort();
    expect(jobs).toEqual(['game-api', 'loadgen', 'prometheus']);
    const fault = await waitFor(
      async () => {
        const r = await prometheus.query('game_api_fault_delay_ms{job="game-api"}', Date.now() / 1000);
        return r.length ? r : undefined;
      },
      { what: "game-api's fault gauge in Prometheus", timeoutMs: 20_000 },
    );
    expect(fault[0]?.metric).toMatchObject({ route: 'GET /api/users', mode: 'app' });

    const rulesRes = (await (await fetch(`${lab.state.urls.prometheus}/api/v1/rules`)).json()) as {
      data: { groups: { rules: unknown[] }[] };
    };
    let shipped = 0;
    for (const f of await shippedRuleFiles()) {
      const doc = parse(await readFile(repoPath(f), 'utf8')) as { groups: { rules: unknown[] }[] };
      shipped += doc.groups.reduce((n, g) => n + g.rules.length, 0);
    }
    expect(rulesRes.data.groups.reduce((n, g) => n + g.rules.length, 0)).toBe(shipped);
  });

  it('writes a Prometheus config that promtool accepts', async () => {
    const result = await promtool(['check', 'config', `${lab.dir}/prometheus/prometheus.yml`]);
    expect(result.ok, result.output).toBe(true);
  });

  it('refuses to start a second lab from the same folder', async () => {
    const second = startLocalLab({
      dir: lab.dir,
      scrapeInterval: '1s',
      ports: { api: 0, prometheus: 0, loadgenMetrics: 0 },
      apiHost: defaultApiHost,
      env: {},
      log: () => undefined,
    });
    await expect(second).rejects.toThrow(LabError);
    await expect(second).rejects.toThrow(/already runs/);
  });

  it('refuses a game-api host that is not an IP address, before starting anything', async () => {
    const dir = `${lab.dir}/never`;
    const start = startLocalLab({
      dir,
      scrapeInterval: '1s',
      ports: { api: 0, prometheus: 0, loadgenMetrics: 0 },
      apiHost: 'everywhere',
      env: {},
      log: () => undefined,
    });
    await expect(start).rejects.toThrow('game-api host: not an IP address: everywhere');
    expect(await localLabStatus(dir)).toBeUndefined();
  });
});

describe('lab local down', () => {
  it('stops every process it started and forgets the lab', async () => {
    const pids = lab.state.processes.map((p) => p.pid);
    const results = await stopLocalLab(lab.dir);
    expect(results.map((r) => r.outcome)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(fetch(`${lab.state.urls.api}/livez`)).rejects.toThrow();
    expect(await localLabStatus(lab.dir)).toBeUndefined();
  });
});

// The user's next day: the same folder started again, this time opened to the network on purpose.
describe('lab local up again, with --api-host 0.0.0.0', () => {
  beforeAll(async () => {
    second = await startLocalLab({
      dir: lab.dir,
      scrapeInterval: '1s',
      ports: { api: 0, prometheus: 0, loadgenMetrics: 0 },
      apiHost: '0.0.0.0',
      env: { BCRYPT_COST: '4', LOG_LEVEL: 'warn' },
      log: () => undefined,
    });
  });

  it('gives the new lab a new admin token, in .lab/env too', async () => {
    expect(second?.env.ADMIN_TOKEN).toMatch(/^[0-9a-f]{32}$/);
    expect(second?.env.ADMIN_TOKEN).not.toBe(lab.state.env.ADMIN_TOKEN);
    expect((await readEnvFile(`${lab.dir}/env`)).ADMIN_TOKEN).toBe(second?.env.ADMIN_TOKEN);
  });

  it.runIf(networkAddresses.length > 0)('is reachable on the network addresses then', async () => {
    for (const address of networkAddresses) {
      expect(await livezOn(address, second?.urls.api ?? ''), address).toBe(200);
    }
  });
});
