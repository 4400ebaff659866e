import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { LoadgenError } from '../errors.js';
import type { Histogram } from './hdr-histograms.js';
import type { RunAggregator } from './run-aggregator.js';

/** The OpenTelemetry HTTP duration buckets, as game-api uses, so both sides line up. */
const BUCKETS_SEC = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

interface Value {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** A metric computed at scrape time from the aggregator (prom-client's custom-metric shape). */
function customMetric(
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram',
  values: () => Value[],
) {
  return {
    name,
    help,
    type,
    get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }),
  };
}

function bucketValues(h: Histogram, labels: Record<string, string>, name: string): Value[] {
  const counts = new Array<number>(BUCKETS_SEC.length).fill(0);
  const it = (
    h as unknown as {
      recordedValuesIterator: {
        reset(): void;
        hasNext(): boolean;
        next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
      };
    }
  ).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    const sec = v.valueIteratedTo / 1e6;
    const i = BUCKETS_SEC.findIndex((le) => sec <= le);
    if (i >= 0) counts[i] = (counts[i] as number) + v.countAtValueIteratedTo;
  }
  const out: Value[] = [];
  let cumulative = 0;
  BUCKETS_SEC.forEach((le, i) => {
    cumulative += counts[i] as number;
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
  });
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.totalCount });
  out.push({ metricName: `${name}_sum`, labels, value: (h.mean * h.totalCount) / 1e6 });
  out.push({ metricName: `${name}_count`, labels, value: h.totalCount });
  return out;
}

/** Build the registry of the loadgen_* metrics (docs/design.md, "Metric names") over a running aggregator. */
export function createLoadgenRegistry(
  agg: RunAggregator,
  run: { testid: string; scenario: string },
): Registry {
  const registry = new Registry();
  const base = { testid: run.testid, scenario: run.scenario };
  const metrics = [
    customMetric(
      'loadgen_request_duration_seconds',
      'Request latency as loadgen measured it.',
      'histogram',
      () =>
        [...agg.endpoints].flatMap(([endpoint, t]) =>
          bucketValues(t.histogram, { ...base, endpoint }, 'loadgen_request_duration_seconds'),
        ),
    ),
    customMetric('loadgen_requests_total', 'Requests completed (status 0 = no response).', 'counter', () =>
      [...agg.endpoints].flatMap(([endpoint, t]) =>
        [...t.statusCounts].map(([status, value]) => ({ labels: { ...base, endpoint, status }, value })),
      ),
    ),
    customMetric(
      'loadgen_errors_total',
      'Failed requests by kind (http_<status>, timeout...).',
      'counter',
      () =>
        [...agg.endpoints].flatMap(([endpoint, t]) =>
          [...t.errorKinds].map(([error, value]) => ({ labels: { ...base, endpoint, error }, value })),
        ),
    ),
    customMetric('loadgen_virtual_users', 'Virtual users running.', 'gauge', () => [
      { labels: base, value: agg.activeUsers },
    ]),
    customMetric(
      'loadgen_dropped_iterations_total',
      'Open-model iterations dropped for lack of a free user.',
      'counter',
      () => [{ labels: base, value: agg.dropped }],
    ),
  ];
  for (const m of metrics) registry.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
  collectDefaultMetrics({ register: registry, prefix: 'loadgen_' });
  return registry;
}

/** Serve a registry on GET /metrics; resolves once listening. Port 0 picks a free port. */
export async function serveMetrics(
  registry: Registry,
  port: number,
  host = '0.0.0.0',
): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LoadgenError(
          'LG_USAGE',
          `--metrics-port ${port}: ${error.code === 'EADDRINUSE' ? 'already in use' : error.message}`,
        ),
      ),
    );
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
