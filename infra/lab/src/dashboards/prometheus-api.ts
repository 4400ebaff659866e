import { LabError } from '../errors.js';

export interface PromSample {
  metric: Record<string, string>;
  /** Instant queries: one [time, value]; range queries: many. */
  values: [number, string][];
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[];
  };
}

/** The few calls of Prometheus's HTTP API the lab uses (query, query_range, label values, targets). */
export class PrometheusApi {
  constructor(private readonly baseUrl: string) {}

  async query(expr: string, time: number): Promise<PromSample[]> {
    return this.call('/api/v1/query', { query: expr, time: String(time) });
  }

  async queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<PromSample[]> {
    return this.call('/api/v1/query_range', {
      query: expr,
      start: String(start),
      end: String(end),
      step: `${stepSeconds}s`,
    });
  }

  async labelValues(label: string, match: string, start: number, end: number): Promise<string[]> {
    const params = new URLSearchParams({ 'match[]': match, start: String(start), end: String(end) });
    const res = await fetch(`${this.baseUrl}/api/v1/label/${encodeURIComponent(label)}/values?${params}`);
    const body = (await res.json()) as { status: string; data?: string[]; error?: string };
    if (body.status !== 'success')
      throw new LabError('LAB_BAD_INPUT', `label values ${label}: ${body.error}`);
    return body.data ?? [];
  }

  /** Health of each scrape target: job, scrape URL, last scrape time, health. */
  async targets(): Promise<{ job: string; scrapeUrl: string; lastScrape: string; health: string }[]> {
    const res = await fetch(`${this.baseUrl}/api/v1/targets?state=active`);
    const body = (await res.json()) as {
      data: {
        activeTargets: { labels: { job: string }; scrapeUrl: string; lastScrape: string; health: string }[];
      };
    };
    return body.data.activeTargets.map((t) => ({
      job: t.labels.job,
      scrapeUrl: t.scrapeUrl,
      lastScrape: t.lastScrape,
      health: t.health,
    }));
  }

  private async call(path: string, params: Record<string, string>): Promise<PromSample[]> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
    const body = (await res.json()) as ApiResponse;
    if (body.status !== 'success' || !body.data) {
      throw new LabError('LAB_BAD_INPUT', `Prometheus rejected the query (${body.errorType}): ${body.error}`);
    }
    return body.data.result.map((r) => ({
      metric: r.metric,
      values: r.values ?? (r.value ? [r.value] : []),
    }));
  }
}
