import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { windowSaturated } from '../../src/model/generator-saturation.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { simpleRun } from '../helpers/scenarios.js';
import { runScraped } from '../helpers/scraped-run.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Prometheus metrics', () => {
  it('serves the docs/design.md metric names during the run and the final totals after it', async () => {
    server = await startTestServer((req, res) => {
      if (req.url !== '/fail') return false;
      res.writeHead(503).end('down');
      return true;
    });
    const config = await simpleRun(
      server.url,
      { type: 'closed', users: 2, spawnRate: 100 },
      2,
      { testid: 'prom-test', label: 'smoke' },
      { steps: [{ request: 'GET /ok' }, { request: 'GET /fail' }], think: 0.01 },
    );
    // Mid-run: once a window has closed with both users running.
    const { summary, samples, during } = await runScraped(config, {
      scrapeDuring: (w) => w.activeUsers === 2,
    });
    const value = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;
    const base = { testid: 'prom-test', scenario: 'smoke' };
    const ok = summary.endpoints.find((e) => e.endpoint === 'GET /ok');
    const fail = summary.endpoints.find((e) => e.endpoint === 'GET /fail');
    expect(value('loadgen_requests_total', { ...base, endpoint: 'GET /ok', status: '200' })).toBe(ok?.count);
    expect(value('loadgen_requests_total', { ...base, endpoint: 'GET /fail', status: '503' })).toBe(
      fail?.count,
    );
    expect(value('loadgen_errors_total', { ...base, endpoint: 'GET /fail', error: 'http_503' })).toBe(
      fail?.count,
    );
    expect(value('loadgen_request_duration_seconds_count', { ...base, endpoint: 'GET /ok' })).toBe(ok?.count);
    expect(
      value('loadgen_request_duration_seconds_bucket', { ...base, endpoint: 'GET /ok', le: '+Inf' }),
    ).toBe(ok?.count);
    expect(value('loadgen_dropped_iterations_total', base)).toBe(0);
    expect(during?.find((s) => s.name === 'loadgen_virtual_users')?.value).toBe(2);
    // The generator's own health in the latest window, beside the default process series.
    const last = summary.timeSeries.at(-1)?.generator;
    expect(value('loadgen_generator_busy_ratio', { ...base, thread: '0' })).toBe(last?.threads[0]?.busy);
    expect(value('loadgen_generator_event_loop_delay_p99_seconds', { ...base, thread: '0' })).toBeCloseTo(
      (last?.threads[0]?.loopP99Ms ?? -1) / 1000,
      9,
    );
    expect(value('loadgen_generator_event_loop_delay_max_seconds', { ...base, thread: '0' })).toBeCloseTo(
      (last?.threads[0]?.loopMaxMs ?? -1) / 1000,
      9,
    );
    // A gauge carries no `quantile` label: that is a summary's.
    expect(samples.filter((s) => s.name.startsWith('loadgen_generator_') && 'quantile' in s.labels)).toEqual(
      [],
    );
    expect(value('loadgen_generator_cpu_ratio', base)).toBe(last?.cpu);
    // 1 when the latest window passed the saturation rule (a busy test machine may make it so).
    expect(value('loadgen_generator_saturated', base)).toBe(
      last !== undefined && windowSaturated(last) ? 1 : 0,
    );
    expect(samples.some((s) => s.name === 'loadgen_process_resident_memory_bytes')).toBe(true);
  });

  it('labels custom measurements by name: trends, their failures, counters, rates, gauges, checks', async () => {
    server = await startTestServer();
    const loaded = await loadScenario(join(import.meta.dirname, '..', 'fixtures', 'custom-fixed.ts'));
    const config = resolveRun(loaded, { target: server.url, testid: 'prom-custom', label: 'custom' });
    config.gracefulStopSec = 1;
    const { summary, samples } = await runScraped(config);
    const value = (name: string, labels: Record<string, string>) =>
      samples.find(
        (s) =>
          s.name === name &&
          Object.entries({ testid: 'prom-custom', scenario: 'custom', ...labels }).every(
            ([k, v]) => s.labels[k] === v,
          ),
      )?.value;
    const trend = (name: string) => summary.endpoints.find((e) => e.endpoint === name);
    // A trend in ms is a histogram like the requests'; one of another unit a summary in its unit.
    expect(value('loadgen_custom_duration_seconds_count', { name: 'join room' })).toBe(24);
    expect(value('loadgen_custom_duration_seconds_bucket', { name: 'join room', le: '+Inf' })).toBe(24);
    expect(value('loadgen_custom_value_count', { name: 'room size', unit: 'players' })).toBe(24);
    expect(
      value('loadgen_custom_value', { name: 'room size', unit: 'players', quantile: '0.99' }),
    ).toBeCloseTo(trend('room size')?.latencyMs.p99 ?? -1, 2);
    expect(value('loadgen_custom_errors_total', { name: 'server tick', error: 'tick_lost' })).toBe(3);
    expect(value('loadgen_custom_counter_total', { name: 'moves sent' })).toBe(108);
    expect(value('loadgen_custom_rate_total', { name: 'match found', result: 'true' })).toBe(15);
    expect(value('loadgen_custom_rate_total', { name: 'match found', result: 'false' })).toBe(9);
    const gauge = summary.metrics?.find((m) => m.name === 'open rooms');
    expect(value('loadgen_custom_gauge', { name: 'open rooms' })).toBe(
      gauge?.type === 'gauge' ? gauge.value : -1,
    );
    expect(value('loadgen_checks_total', { check: 'joined', result: 'pass' })).toBe(24);
    expect(value('loadgen_script_errors_total', {})).toBe(0);
    // Custom trends are not requests.
    expect(
      samples.some((s) => s.name.startsWith('loadgen_request') && s.labels.endpoint === 'join room'),
    ).toBe(false);
  });
});
