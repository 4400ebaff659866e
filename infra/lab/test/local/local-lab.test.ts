import { readFile } from 'node:fs/promises';
import { isAlive, waitFor } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PrometheusApi } from '../../src/dashboards/prometheus-api.js';
import { LabError } from '../../src/errors.js';
import { defaultAdminToken, localLabStatus, startLocalLab, stopLocalLab } from '../../src/local/local-lab.js';
import { repoPath } from '../../src/repo-paths.js';
import { promtool, shippedRuleFiles } from '../checks/promtool.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(() => lab?.stop());

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

  it('prints the env that points the npm scripts at it', () => {
    expect(lab.state.env).toMatchObject({
      TARGET_URL: lab.state.urls.api,
      ADMIN_TOKEN: defaultAdminToken,
      PROMETHEUS_URL: lab.state.urls.prometheus,
    });
    expect(Number(lab.state.env.LOADGEN_METRICS_PORT)).toBeGreaterThan(0);
  });

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
      adminToken: defaultAdminToken,
      env: {},
      log: () => undefined,
    });
    await expect(second).rejects.toThrow(LabError);
    await expect(second).rejects.toThrow(/already runs/);
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
