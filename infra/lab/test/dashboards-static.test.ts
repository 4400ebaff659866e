import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  allPanels,
  dashboardQueries,
  loadDashboards,
  substitute,
} from '../src/dashboards/dashboard-queries.js';
import { repoPath } from '../src/repo-paths.js';
import { promtool } from './checks/promtool.js';

const dashboards = await loadDashboards();
const datasources = parse(
  await readFile(repoPath('grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
) as {
  datasources: { uid: string; url: string; type: string }[];
};
const datasourceUid = datasources.datasources[0]?.uid;

describe('grafana/', () => {
  it('provisions one Prometheus datasource with a fixed uid, reachable inside compose', () => {
    expect(datasources.datasources).toHaveLength(1);
    expect(datasourceUid).toBe('prometheus-lab');
    expect(datasources.datasources[0]?.url).toBe('http://prometheus:9090');
  });

  it('provisions dashboards from the folder compose mounts them into', async () => {
    const provider = parse(await readFile(repoPath('grafana/provisioning/dashboards/lab.yml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    const compose = await readFile(repoPath('docker-compose.yml'), 'utf8');
    const path = provider.providers[0]?.options.path ?? '';
    expect(compose).toContain(`./grafana/dashboards:${path}:ro`);
  });

  it('ships the two dashboards with unique uids', () => {
    expect(dashboards.map((d) => d.title).sort()).toEqual(['Runs side by side', 'game-api']);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
  });

  for (const dashboard of dashboards) {
    describe(dashboard.title, () => {
      it('gives every panel a title, a unit and a one-line description, on the lab datasource', () => {
        for (const panel of allPanels(dashboard)) {
          const where = `${dashboard.title} / panel ${panel.id} (${panel.title})`;
          expect(panel.title, where).toBeTruthy();
          expect(panel.description, where).toMatch(/^[^\n]{20,240}$/);
          expect(panel.fieldConfig?.defaults?.unit, where).toBeTruthy();
          expect(panel.datasource?.uid, where).toBe(datasourceUid);
          expect(panel.targets?.length, where).toBeGreaterThan(0);
          for (const t of panel.targets ?? []) expect(t.datasource?.uid, where).toBe(datasourceUid);
        }
      });

      it('uses only variables it defines', () => {
        const defined = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
        for (const q of dashboardQueries(dashboard)) {
          for (const v of q.variables) expect(defined.has(v), `${q.source}: $${v}`).toBe(true);
        }
      });
    });
  }

  it('"Runs side by side" has a multi-select testid variable and the per-run panels the lab promises', () => {
    const runs = dashboards.find((d) => d.uid === 'runs-side-by-side')!;
    const testid = runs.templating?.list.find((v) => v.name === 'testid');
    expect(testid?.multi).toBe(true);
    expect(testid?.includeAll).toBe(true);
    const titles = allPanels(runs).map((p) => p.title);
    for (const t of ['Runs', 'p95 per endpoint, by run', 'Requests per second per endpoint, by run']) {
      expect(titles).toContain(t);
    }
    expect(titles.some((t) => /latency over time/i.test(t ?? ''))).toBe(true);
    expect(titles.some((t) => /failures by kind/i.test(t ?? ''))).toBe(true);
    expect(titles.some((t) => /fault delay/i.test(t ?? ''))).toBe(true);
    expect(runs.annotations?.list.some((a) => a.expr?.includes('game_api_fault_delay_ms'))).toBe(true);
  });

  it('sends only PromQL that parses, once its variables are substituted', async () => {
    // promtool parses a rule's expression without a running server: each query becomes a rule.
    const rules = dashboards.flatMap(dashboardQueries).map((q, i) => ({
      record: `dashboard_query:${i}`,
      expr: substitute(q.expr, {
        variables: { testid: ['baseline-1', 'stress-2'], route: { raw: '.*' } },
        rangeSeconds: 300,
        intervalSeconds: 5,
        rateIntervalSeconds: 20,
      }),
    }));
    expect(rules.length).toBeGreaterThan(20);
    const dir = await mkdtemp(join(tmpdir(), 'lab-dashboards-'));
    try {
      await writeFile(join(dir, 'queries.yml'), stringify({ groups: [{ name: 'dashboards', rules }] }));
      const result = await promtool(['check', 'rules', join(dir, 'queries.yml')]);
      expect(result.ok, result.output).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('substitutes a multi-select as Grafana does for Prometheus', () => {
    const expr =
      'sum by (testid) (rate(loadgen_requests_total{testid=~"$testid"}[$__rate_interval]))[$__range:]';
    expect(
      substitute(expr, {
        variables: { testid: ['baseline-1', 'a.b'] },
        rangeSeconds: 120,
        intervalSeconds: 1,
        rateIntervalSeconds: 4,
      }),
    ).toBe('sum by (testid) (rate(loadgen_requests_total{testid=~"(baseline-1|a\\\\.b)"}[4s]))[120s:]');
  });
});
