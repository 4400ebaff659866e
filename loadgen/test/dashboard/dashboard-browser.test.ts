/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fmt } from '../../src/model/number-format.js';
import { readSummaryFile } from '../../src/model/summary-files.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type OpenedPage, openUrlInChromium } from '../report/helpers/chromium.js';
import {
  type DashboardRun,
  killIfRunning,
  scrapeGauge,
  servedRate,
  startDashboardRun,
} from './helpers/dashboard-run.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const SCENARIO = join(import.meta.dirname, '..', 'fixtures', 'steady-think.json');

let server: TestServer;
let dir: string;
let run: DashboardRun;
let opened: OpenedPage;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'glab-dashboard-'));
  // Two threads: a change must reach each thread's share of the users.
  run = await startDashboardRun([
    'run',
    SCENARIO,
    '--target',
    server.url,
    '--users',
    '5',
    '--threads',
    '2',
    '--duration',
    '90s',
    '--threshold',
    'p95<2000',
    '--dashboard=127.0.0.1:0',
    '--dashboard-linger',
    '120',
    '--metrics-port',
    '0',
    '--out',
    dir,
  ]);
  opened = await openUrlInChromium(run.url);
  await opened.page.waitForFunction(() => Number(document.body.dataset.windows) >= 2);
}, 60_000);

afterAll(async () => {
  await opened?.close();
  killIfRunning(run);
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the live dashboard in a real Chromium', () => {
  it('draws the charts and the tables from the live stream, offline and without errors', async () => {
    const page = opened.page;
    for (const id of [
      'chart-users',
      'chart-rps',
      'chart-errors',
      'chart-latency',
      'chart-busy',
      'chart-loop',
    ]) {
      await page.locator(`#${id}[data-drawn] canvas`).waitFor();
    }
    // One p50/p95/p99 chart per endpoint, from the windows' data.
    await page.locator('#endpoint-charts .chart[data-endpoint="GET /"][data-drawn="3"] canvas').waitFor();
    expect(
      await page.locator('table.endpoint-table[data-kind="http"] tr[data-endpoint="GET /"]').count(),
    ).toBe(1);
    expect(await page.locator('table.thresholds td.pass').innerText()).toBe('pass');
    expect(await page.locator('#scope').innerText()).toContain('2 threads: the page shows the whole process');
    expect(await page.locator('body').getAttribute('data-users')).toBe('5');
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it('raising users from 5 to 20 on the page raises the served rate and loadgen_virtual_users', async () => {
    const page = opened.page;
    const before = await servedRate(opened.page, server.total, 2);
    expect(await scrapeGauge(run.metricsPort as number, 'loadgen_virtual_users')).toBe(5);
    await page.fill('#users-input', '20');
    await page.fill('#spawn-input', '100');
    await page.click('#apply');
    await page.waitForFunction(() => document.body.dataset.users === '20');
    expect(await page.locator('#steer-message').innerText()).toMatch(/^at [\d.]+ s: users 20 @ 100\/s$/);
    const after = await servedRate(opened.page, server.total, 2);
    // 4 times the users, each waiting 0.1 s between requests to a local target: about 4 times the rate.
    expect(after).toBeGreaterThan(before * 2.5);
    expect(await scrapeGauge(run.metricsPort as number, 'loadgen_virtual_users')).toBe(20);
    // The change shows on the charts as a marker, and in the page's timeline.
    expect(await page.locator('body').getAttribute('data-timeline')).toBe('1');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
  });

  it('refuses a bad value with its message on the page, and the run goes on unchanged', async () => {
    const page = opened.page;
    await page.fill('#users-input', '2.5');
    await page.click('#apply');
    await page.locator('#steer-message.error').waitFor();
    expect(await page.locator('#steer-message').innerText()).toBe('users must be a whole number');
    const windows = Number(await page.locator('body').getAttribute('data-windows'));
    await page.waitForFunction((n) => Number(document.body.dataset.windows) > n, windows);
    expect(await page.locator('body').getAttribute('data-users')).toBe('20');
    expect(await page.locator('body').getAttribute('data-timeline')).toBe('1');
  });

  it('Stop ends the run as SIGINT does; the final table is the summary and the report is offered', async () => {
    const page = opened.page;
    await page.click('#stop');
    await page.waitForFunction(() => document.body.dataset.phase === 'ended');
    expect(await page.locator('#phase').innerText()).toBe('interrupted');
    const summary: Summary = readSummaryFile(join(dir, 'summary.json'));
    expect(summary.run.interrupted).toBe(true);
    expect(summary.timeline?.map((c) => [c.action, c.users, c.source])).toEqual([
      ['users', 20, 'page'],
      ['stop', undefined, 'page'],
    ]);
    // The page's Total row holds the summary's totals, figure for figure.
    const t = summary.totals;
    const cells = await page.locator('table.endpoint-table tr.total td').allInnerTexts();
    expect(cells).toEqual([
      'Total',
      fmt(t.requests, 0),
      fmt(t.errors, 0),
      fmt(t.rps),
      fmt(t.latencyMs.p50),
      fmt(t.latencyMs.p95),
      fmt(t.latencyMs.p99),
      fmt(t.latencyMs.max),
    ]);
    // The CSV the page offers is the stats.csv the run wrote.
    const csv = await page.request.get(new URL('api/endpoints.csv', run.url).href);
    expect(await csv.text()).toBe(readFileSync(join(dir, 'stats.csv'), 'utf8'));
    // The run's HTML report, with the steering on its charts and in its parameters.
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('#report-link')]);
    await report.waitForLoadState('load');
    await report.locator('#chart-busy[data-drawn] canvas').waitFor();
    expect(await report.locator('table.params').innerText()).toMatch(/users 20 @ 100\/s \(page\)/);
    await report.close();
    // The page keeps serving the final state (--dashboard-linger); Ctrl-C ends that at once.
    await run.waitForStderr(/the final state and the report stay at/);
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.code).toBe(130);
    expect(exit.stderr).toContain('interrupted: the summary covers the run up to the interrupt');
  });
});
