import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { FaultInfo, Provenance, ServerRoute, ServerView } from '../model/summary-schema.js';
import { targetBuildOf } from './build-info.js';

const METRIC = 'http_server_request_duration_seconds';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parse the Prometheus text exposition format (the subset /metrics endpoints emit). */
export function parsePrometheusText(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (m === null) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = m[4] as string;
    out.push({
      name: m[1] as string,
      labels,
      value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw),
    });
  }
  return out;
}

/**
 * A snapshot of the target's own request histogram (OpenTelemetry's HTTP server metric), when the
 * scenario names one of its fault gauge, and its build-info gauge when it has one.
 */
export interface ServerSnapshot {
  /** The target exposes the request histogram: only then is a delta of it a server view. */
  hasRequestMetric: boolean;
  samples: Sample[];
  fault: FaultInfo | null;
  build: Provenance['target'];
}

export async function scrapeServerMetrics(
  metricsUrl: string,
  faultGauge: string | undefined,
): Promise<ServerSnapshot | undefined> {
  try {
    const { status, text } = await getText(metricsUrl, 5000);
    if (status !== 200) return undefined;
    const samples = parsePrometheusText(text);
    const faults = faultGauge === undefined ? [] : samples.filter((s) => s.name === faultGauge);
    const active = faults.find((s) => s.value > 0) ?? faults[0];
    const fault =
      active === undefined
        ? null
        : { delayMs: active.value, route: active.labels.route ?? '', mode: active.labels.mode ?? '' };
    return {
      hasRequestMetric: text.includes(METRIC),
      samples: samples.filter((s) => s.name.startsWith(METRIC)),
      fault,
      build: targetBuildOf(samples),
    };
  } catch {
    return undefined;
  }
}

/**
 * GET a small text document on a connection of its own (closed after). node:http rather than
 * undici: undici's first request compiles its HTTP parser (WebAssembly), ~30 MB of memory for
 * about a second, which a run with the lean client would otherwise pay for one scrape.
 */
function getText(url: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Per-route delta (after - before) of http_server_request_duration_seconds. */
export function serverDelta(metricsUrl: string, before: ServerSnapshot, after: ServerSnapshot): ServerView {
  const key = (s: Sample, extra = '') =>
    `${s.labels.http_request_method ?? ''} ${s.labels.http_route ?? ''}${extra}`;
  const prev = new Map<string, number>();
  for (const s of before.samples) {
    prev.set(`${s.name}|${key(s)}|${s.labels.http_response_status_code ?? ''}|${s.labels.le ?? ''}`, s.value);
  }
  const routes = new Map<string, ServerRoute & { bucketMap: Map<string, number> }>();
  for (const s of after.samples) {
    const d =
      s.value -
      (prev.get(`${s.name}|${key(s)}|${s.labels.http_response_status_code ?? ''}|${s.labels.le ?? ''}`) ?? 0);
    const endpoint = key(s);
    let r = routes.get(endpoint);
    if (r === undefined) {
      r = {
        method: s.labels.http_request_method ?? '',
        route: s.labels.http_route ?? '',
        endpoint,
        count: 0,
        sum: 0,
        statusCounts: {},
        buckets: [],
        bucketMap: new Map(),
      };
      routes.set(endpoint, r);
    }
    if (s.name === `${METRIC}_count`) {
      r.count += d;
      const status = s.labels.http_response_status_code ?? '';
      r.statusCounts[status] = (r.statusCounts[status] ?? 0) + d;
    } else if (s.name === `${METRIC}_sum`) r.sum += d;
    else if (s.name === `${METRIC}_bucket`) {
      const le = s.labels.le ?? '+Inf';
      r.bucketMap.set(le, (r.bucketMap.get(le) ?? 0) + d);
    }
  }
  const view: ServerRoute[] = [];
  for (const { bucketMap, ...r } of routes.values()) {
    if (r.count <= 0) continue;
    r.sum = Math.max(0, Math.round(r.sum * 1e6) / 1e6);
    for (const [s, c] of Object.entries(r.statusCounts)) if (c <= 0) delete r.statusCounts[s];
    r.buckets = [...bucketMap]
      .sort((a, b) => (a[0] === '+Inf' ? 1 : b[0] === '+Inf' ? -1 : Number(a[0]) - Number(b[0])))
      .map(([le, count]) => ({ le, count }));
    view.push(r);
  }
  view.sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  return { metricsUrl, routes: view };
}
