/** The links a run prints: to Grafana only where a Grafana answers, to Prometheus always. */

export function dashboardUrl(
  grafanaUrl: string,
  testid: string,
  from: Date | 'now-15m',
  to: Date | 'now',
): string {
  const t = (d: Date | string) => (typeof d === 'string' ? d : String(d.getTime()));
  const params = new URLSearchParams({ 'var-testid': testid, from: t(from), to: t(to) });
  return `${grafanaUrl.replace(/\/$/, '')}/d/runs-side-by-side/runs-side-by-side?${params}`;
}

/** The run's p95 by endpoint in Prometheus's own graph page (the recording rule of prometheus/rules). */
export function prometheusGraphUrl(prometheusUrl: string, testid: string): string {
  const expr = `testid:loadgen_request_duration_seconds:p95_1m{testid="${testid}"}`;
  return `${prometheusUrl.replace(/\/$/, '')}/graph?g0.expr=${encodeURIComponent(expr)}`;
}

/**
 * Whether a Grafana answers at `grafanaUrl`: its unauthenticated GET /api/health, with the
 * `database` field only Grafana's has (another server on port 3000 may answer anything with 200).
 * The local lab starts no Grafana, so a link there would lead nowhere.
 */
export async function grafanaAnswers(grafanaUrl: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const res = await fetch(`${grafanaUrl.replace(/\/$/, '')}/api/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { database?: unknown };
    return typeof body.database === 'string';
  } catch {
    return false; // refused, unresolvable, timed out, not JSON: no Grafana there
  }
}
