/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fmt } from '../../src/model/number-format.js';
import { readSummaryFile } from '../../src/model/summary-files.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { metricRows, thresholdActual, unitFigure } from '../../src/terminal/custom-tables.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type OpenedPage, openUrlInChromium } from '../report/helpers/chromium.js';
import { type DashboardRun, killIfRunning, startDashboardRun } from './helpers/dashboard-run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

let server: TestServer;
let dir: string;
let run: DashboardRun | undefined;
let opened: OpenedPage | undefined;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'glab-dashboard-custom-'));
});

afterEach(async () => {
  await opened?.close();
  opened = undefined;
  killIfRunning(run);
  run = undefined;
});

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Run a fixture with the dashboard, the page open from the start; resolves once a window is on it. */
async function runWithPage(fixture: string, args: string[] = []): Promise<{ out: string; page: OpenedPage }> {
  const out = join(dir, fixture);
  run = await startDashboardRun([
    'run',
    join(FIXTURES, fixture),
    '--target',
    server.url,
    '--out',
    out,
    '--dashboard=127.0.0.1:0',
    '--dashboard-linger',
    '120',
    ...args,
  ]);
  opened = await openUrlInChromium(run.url);
  await opened.page.waitForFunction(() => Number(document.body.dataset.windows) >= 1);
  return { out, page: opened };
}

/** The run has ended and the page shows its summary; the summary as written. */
async function ended(page: OpenedPage, out: string): Promise<Summary> {
  await page.page.waitForFunction(() => document.body.dataset.phase === 'ended');
  return readSummaryFile(join(out, 'summary.json'));
}

const rowCells = (page: OpenedPage, table: string, name: string) =>
  page.page.locator(`${table} tr[data-endpoint="${name}"] td`).allInnerTexts();

describe('the dashboard shows what the script measured itself, as the end-of-run tables do', () => {
  it('custom counters, rates and gauges in a table (so far, then the summary’s), trends in their unit', async () => {
    // test/fixtures/custom-fixed.ts: a counter, a rate, a gauge; a trend in players with a threshold.
    const { out, page } = await runWithPage('custom-fixed.ts');
    // While the run goes: a row per metric, with a value so far.
    await page.page.locator('table.metrics tr[data-metric="moves sent"]').waitFor();
    const summary = await ended(page, out);
    const metrics = await page.page
      .locator('table.metrics tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
    expect(metrics).toEqual(metricRows(summary));
    expect(metrics.map((m) => m[1]).sort()).toEqual(['counter', 'gauge', 'rate']);
    // A trend in players: its figures in players, to 3 significant digits, with its unit.
    const custom = 'table.endpoint-table[data-kind="custom"]';
    expect(await page.page.locator(`${custom} thead th`).allInnerTexts()).toEqual([
      'endpoint',
      'requests',
      'errors',
      'req/s',
      'p50',
      'p95',
      'p99',
      'max',
      'unit',
    ]);
    const room = summary.endpoints.find((e) => e.endpoint === 'room size');
    expect(room?.unit).toBe('players');
    const l = room?.latencyMs as NonNullable<typeof room>['latencyMs'];
    expect(await rowCells(page, custom, 'room size')).toEqual([
      'room size',
      fmt(room?.count ?? 0, 0),
      '0',
      fmt(room?.rps ?? 0),
      ...[l.p50, l.p95, l.p99, l.max].map(unitFigure),
      'players',
    ]);
    expect(await rowCells(page, custom, 'join room')).toContain('ms');
    // Its chart says its unit; the threshold on it reads as the end-of-run table has it.
    expect(await page.page.locator('#kind-custom figcaption').allInnerTexts()).toContain(
      'room size (players)',
    );
    const threshold = summary.thresholds.find((t) => t.expr === 'room size:max<=10');
    expect(thresholdActual(threshold as NonNullable<typeof threshold>, summary)).toMatch(/ players$/);
    expect(
      await page.page
        .locator('table.thresholds tr', { hasText: 'room size:max<=10' })
        .locator('td')
        .nth(1)
        .innerText(),
    ).toBe(thresholdActual(threshold as NonNullable<typeof threshold>, summary));
    expect(page.errors).toEqual([]);
  }, 60_000);

  it('an endpoint counted but never timed shows as not timed, never as 0 ms', async () => {
    // test/fixtures/custom-api.ts: every "join room" throws, every "server delay" records no value;
    // "room size" records real zeros (and 12.5), which are figures.
    const { out, page } = await runWithPage('custom-api.ts', ['--threshold', 'join room:p95<100']);
    const summary = await ended(page, out);
    const custom = 'table.endpoint-table[data-kind="custom"]';
    for (const name of ['join room', 'server delay']) {
      expect((await rowCells(page, custom, name)).slice(4, 8)).toEqual(['-', '-', '-', '-']);
    }
    expect((await rowCells(page, custom, 'room size')).slice(4, 8)).not.toContain('-');
    const threshold = page.page
      .locator('table.thresholds tr', { hasText: 'join room:p95<100' })
      .locator('td');
    expect(await threshold.nth(1).innerText()).toBe('no data');
    expect(await threshold.nth(2).innerText()).toBe('FAIL');
    // Its charts have no point where a window timed nothing (null), rather than a 0 ms one.
    const state = await (await page.page.request.get(new URL('api/state', page.page.url()).href)).json();
    const joins = (state.windows as { endpoints: Record<string, { count: number; p95: number | null }> }[])
      .map((w) => w.endpoints['join room'])
      .filter((e) => e !== undefined && e.count > 0);
    expect(joins.length).toBeGreaterThan(0);
    for (const e of joins) expect(e?.p95).toBeNull();
    expect(summary.endpoints.find((e) => e.endpoint === 'join room')?.latencyMs.max).toBe(0);
    expect(page.errors).toEqual([]);
  }, 60_000);
});
