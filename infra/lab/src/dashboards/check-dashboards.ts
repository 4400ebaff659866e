import { type DashboardJson, dashboardQueries, type Substitution, substitute } from './dashboard-queries.js';
import type { PrometheusApi, PromSample } from './prometheus-api.js';

interface CheckWindow {
  /** Unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
  scrapeIntervalSeconds: number;
}

export interface QueryCheck {
  dashboard: string;
  source: string;
  refId: string;
  expr: string;
  ok: boolean;
  error?: string;
  series: number;
  /** For expressions that use $testid: the selected runs that have no data in the result. */
  runsWithoutData: string[];
}

/**
 * Runs every query of every dashboard against Prometheus over `window`, as Grafana would with
 * `testids` selected (other multi-value variables set to their "All" value) and reports, per
 * query, whether it parsed, how many series it returned and which runs it has no data for.
 */
export async function checkDashboards(
  prometheus: PrometheusApi,
  dashboards: DashboardJson[],
  testids: string[],
  window: CheckWindow,
): Promise<QueryCheck[]> {
  const checks: QueryCheck[] = [];
  for (const dashboard of dashboards) {
    const variables: Substitution['variables'] = {};
    for (const v of dashboard.templating?.list ?? []) {
      if (v.name === 'testid') variables.testid = testids;
      else if (v.allValue) variables[v.name] = { raw: v.allValue };
      else if (v.definition) variables[v.name] = await allValues(prometheus, v.definition, window);
    }
    const sub: Substitution = {
      variables,
      rangeSeconds: Math.ceil(window.end - window.start),
      intervalSeconds: window.stepSeconds,
      // Grafana: max($__interval + scrape interval, 4 × scrape interval)
      rateIntervalSeconds: Math.max(
        window.stepSeconds + window.scrapeIntervalSeconds,
        4 * window.scrapeIntervalSeconds,
      ),
    };
    for (const q of dashboardQueries(dashboard)) {
      const expr = substitute(q.expr, sub);
      const base = { dashboard: q.dashboard, source: q.source, refId: q.refId, expr };
      let result: PromSample[];
      try {
        result = q.instant
          ? await prometheus.query(expr, window.end)
          : await prometheus.queryRange(expr, window.start, window.end, window.stepSeconds);
      } catch (err) {
        checks.push({
          ...base,
          ok: false,
          error: (err as Error).message,
          series: 0,
          runsWithoutData: testids,
        });
        continue;
      }
      const withData = result.filter((s) => s.values.some(([, v]) => v !== 'NaN'));
      const seen = new Set(withData.map((s) => s.metric.testid));
      const perRun = q.variables.includes('testid');
      checks.push({
        ...base,
        ok: true,
        series: withData.length,
        runsWithoutData: perRun ? testids.filter((t) => !seen.has(t)) : [],
      });
    }
  }
  return checks;
}

async function allValues(
  prometheus: PrometheusApi,
  definition: string,
  window: CheckWindow,
): Promise<string[]> {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(definition.trim());
  if (!m?.[1] || !m[2]) return ['.*'];
  return prometheus.labelValues(m[2], m[1], window.start, window.end);
}
