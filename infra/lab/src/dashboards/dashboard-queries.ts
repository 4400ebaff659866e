import { readdir, readFile } from 'node:fs/promises';
import { repoPath } from '../repo-paths.js';

/** The parts of a Grafana dashboard JSON this lab reads (panels, variables, annotations). */
export interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating?: { list: VariableJson[] };
  annotations?: { list: { name: string; expr?: string; datasource?: { uid?: string } }[] };
}

interface PanelJson {
  id: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { refId: string; expr?: string; instant?: boolean; datasource?: { uid?: string } }[];
  panels?: PanelJson[];
}

interface VariableJson {
  name: string;
  type: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  definition?: string;
}

/** One PromQL expression a dashboard sends, with where it comes from. */
interface DashboardQuery {
  dashboard: string;
  /** Panel title, or "annotation: <name>". */
  source: string;
  refId: string;
  expr: string;
  /** Instant (table) query at the end of the range, or a range query over it. */
  instant: boolean;
  /** Names of the template variables the expression uses (without `$`). */
  variables: string[];
}

const dashboardsDir = repoPath('grafana', 'dashboards');

export async function loadDashboards(dir = dashboardsDir): Promise<DashboardJson[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(`${dir}/${f}`, 'utf8')) as DashboardJson),
  );
}

/** Every panel, rows flattened (a collapsed row keeps its panels inside it). */
export function allPanels(dashboard: DashboardJson): PanelJson[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

const builtIns = new Set(['__range', '__rate_interval', '__interval', '__range_s', '__interval_ms']);

function variablesIn(expr: string): string[] {
  const names = [...expr.matchAll(/\$\{?(\w+)\}?/g)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => !builtIns.has(n)))];
}

export function dashboardQueries(dashboard: DashboardJson): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const t of panel.targets ?? []) {
      if (!t.expr) continue;
      queries.push({
        dashboard: dashboard.title,
        source: panel.title ?? `panel ${panel.id}`,
        refId: t.refId,
        expr: t.expr,
        instant: t.instant === true,
        variables: variablesIn(t.expr),
      });
    }
  }
  for (const a of dashboard.annotations?.list ?? []) {
    if (!a.expr) continue;
    queries.push({
      dashboard: dashboard.title,
      source: `annotation: ${a.name}`,
      refId: 'annotation',
      expr: a.expr,
      instant: false,
      variables: variablesIn(a.expr),
    });
  }
  return queries;
}

export interface Substitution {
  /**
   * Values chosen for each template variable (several = multi-select), or `{ raw }` for text put
   * in as is (a variable's custom "All" value such as `.*`).
   */
  variables: Record<string, string[] | { raw: string }>;
  rangeSeconds: number;
  intervalSeconds: number;
  /** Grafana: max($__interval + scrape interval, 4 × scrape interval). */
  rateIntervalSeconds: number;
}

// Inside a PromQL string literal a regex escape needs its backslash doubled: `a\\.b` matches "a.b".
const escapeRegex = (value: string): string =>
  value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');

/**
 * Formats a multi-value variable as Grafana's Prometheus datasource does: each value escaped for
 * a regex inside a string literal, `(a|b)` when several.
 */
function formatVariable(values: string[]): string {
  const escaped = values.map(escapeRegex);
  return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
}

/** Replaces Grafana's built-in and template variables the way Grafana does before it queries. */
export function substitute(expr: string, s: Substitution): string {
  let out = expr
    .replaceAll('$__rate_interval', `${s.rateIntervalSeconds}s`)
    .replaceAll('$__range_s', String(s.rangeSeconds))
    .replaceAll('$__range', `${s.rangeSeconds}s`)
    .replaceAll('$__interval_ms', String(s.intervalSeconds * 1000))
    .replaceAll('$__interval', `${s.intervalSeconds}s`);
  for (const [name, values] of Object.entries(s.variables)) {
    const text = Array.isArray(values) ? formatVariable(values) : values.raw;
    out = out.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), () => text);
  }
  return out;
}
