/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fmt } from '../../src/model/number-format.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { writeReport } from '../../src/report/write-report.js';
import { type OpenedPage, openInChromium } from './helpers/chromium.js';
import { reportFixtures } from './helpers/report-fixtures.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const RUN_RGB: [number, number, number][] = [
  [37, 99, 235],
  [220, 38, 38],
  [22, 163, 74],
];

let dir: string;
let summaries: Summary[];
let opened: OpenedPage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glab-report-'));
  summaries = reportFixtures();
  const { path } = await writeReport(join(dir, 'report.html'), summaries, {
    generatedAt: '2026-11-22T08:00:00Z',
  });
  opened = await openInChromium(path);
  await opened.page.waitForFunction(() => document.querySelectorAll('.chart[data-drawn]').length > 0);
  mkdirSync(ARTIFACTS, { recursive: true });
  await opened.page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
}, 60_000);

afterAll(async () => {
  await opened?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The text as rendered (line breaks between a figure and its delta), which is what a reader sees. */
const rendered = (selector: string) => opened.page.locator(selector).first().innerText();

describe('the HTML report in a real Chromium', () => {
  it('loads offline with no console errors and no request beyond the file', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it('draws every chart, each run that has data in its own colour', async () => {
    const charts = await opened.page.evaluate((colors) => {
      const data = JSON.parse(document.getElementById('report-data')?.textContent ?? '{}');
      const ids = [
        'chart-rps',
        'chart-users',
        'chart-percentiles',
        ...data.p95.map((_: unknown, i: number) => `chart-p95-${i}`),
      ];
      const byId: Record<string, { lines: { y: (number | null)[] }[] }> = {
        'chart-rps': data.rps,
        'chart-users': data.users,
        'chart-percentiles': data.percentiles,
      };
      data.p95.forEach((p: { chart: { lines: { y: (number | null)[] }[] } }, i: number) => {
        byId[`chart-p95-${i}`] = p.chart;
      });
      return ids.map((id) => {
        const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement | null;
        if (canvas === null) return { id, canvas: false, expected: [], found: [] };
        const px = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
          0,
          0,
          canvas.width,
          canvas.height,
        ).data;
        const found = colors.map(([r, g, b]) => {
          for (let i = 0; i < px.length; i += 4) {
            if (
              Math.abs((px[i] as number) - r) < 30 &&
              Math.abs((px[i + 1] as number) - g) < 30 &&
              Math.abs((px[i + 2] as number) - b) < 30 &&
              (px[i + 3] as number) > 200
            )
              return true;
          }
          return false;
        });
        const expected = (byId[id]?.lines ?? []).map((l) => l.y.some((v) => v !== null));
        return { id, canvas: true, expected, found: found.slice(0, expected.length) };
      });
    }, RUN_RGB);
    // req/s, users, percentiles, and one p95 chart for each of the 4 endpoints.
    expect(charts.length).toBe(3 + 4);
    for (const c of charts) {
      expect(c.canvas, c.id).toBe(true);
      expect(c.found, c.id).toEqual(c.expected);
    }
  });

  it('shows the summary figures of every run, deltas against the first, regressions marked', async () => {
    const rows = opened.page.locator('table.summary tbody tr');
    const p95Row = rows.filter({ has: opened.page.locator('th', { hasText: /^p95$/ }) });
    const cells = await p95Row.locator('td').allInnerTexts();
    for (const [i, s] of summaries.entries()) expect(cells[i]).toContain(`${fmt(s.totals.latencyMs.p95)} ms`);
    const requests = await rows
      .filter({ has: opened.page.locator('th', { hasText: /^requests$/ }) })
      .locator('td')
      .allInnerTexts();
    for (const [i, s] of summaries.entries())
      expect(requests[i]?.split('\n')[0]).toBe(fmt(s.totals.requests, 0));
    expect(await p95Row.locator('td').nth(1).getAttribute('class')).toBe('regressed');
    expect(await p95Row.locator('td').nth(0).getAttribute('class')).toBeNull();
  });

  it('holds every endpoint figure and marks the regressed cells of GET /api/users', async () => {
    for (const [run, s] of summaries.entries()) {
      for (const e of s.endpoints) {
        const row = opened.page.locator(
          `table.endpoints tr[data-endpoint="${e.endpoint}"][data-run="${run}"]`,
        );
        const cells = await row.locator('td').allInnerTexts();
        // run, requests, req/s, p50, p95, p99, max, errors, verdict
        expect(cells[1]).toBe(String(e.count));
        expect(cells[3]?.split('\n')[0]).toBe(fmt(e.latencyMs.p50));
        expect(cells[4]?.split('\n')[0]).toBe(fmt(e.latencyMs.p95));
        expect(cells[5]?.split('\n')[0]).toBe(fmt(e.latencyMs.p99));
      }
    }
    const slow = opened.page.locator('table.endpoints tr[data-endpoint="GET /api/users"][data-run="1"]');
    expect(await slow.locator('td.regressed').count()).toBeGreaterThanOrEqual(3);
    expect(
      await rendered('table.endpoints tr[data-endpoint="GET /api/users"][data-run="1"] td.verdict'),
    ).toBe('regressed');
    expect(await rendered('table.endpoints tr[data-endpoint="GET /api/me"][data-run="1"] td.verdict')).toBe(
      'unchanged',
    );
    expect(await rendered('#glance li.bad')).toMatch(/regressed GET \/api\/users \(p50 \+1,000(\.\d)? ms\)/);
  });

  it('lists failures by kind and endpoint, and the active fault', async () => {
    const failure = summaries[1]?.failures[0];
    const row = await opened.page.locator('table.failures tbody tr').first().allInnerTexts();
    expect(row[0]).toContain('POST /api/sessions');
    expect(row[0]).toContain('http_500');
    expect(row[0]).toContain(String(failure?.count));
    const params = await rendered('table.params');
    expect(params).toContain('1000 ms on GET /api/users (app mode)');
  });

  it('shows the capacity section of the step run with its knee', async () => {
    const steps = await opened.page.locator('table.steps tbody tr').allInnerTexts();
    expect(steps).toHaveLength(4);
    expect(await rendered('table.steps tr.knee')).toMatch(/^60\s+—\s+300\s+0\s+0%/);
    expect(await rendered('#capacity dl.plan')).toMatch(/API instances\s+23,810/);
  });

  it('escapes what came from the summaries: a hostile testid is text, not markup', async () => {
    expect(await opened.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await rendered('header h1')).toContain('bottleneck-<img src=x onerror="window.__xss=1">');
    expect(await opened.page.locator('img').count()).toBe(0);
  });
});
