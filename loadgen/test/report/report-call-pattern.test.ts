/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSummaries } from '../../src/compare/compare-summaries.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { writeReport } from '../../src/report/write-report.js';
import { type OpenedPage, openInChromium } from './helpers/chromium.js';
import { type EndpointPlan, makeSummary } from './helpers/summary-factory.js';

/**
 * With baseline, bottleneck and match in one report, the bottleneck's deltas
 * against baseline are coloured (one call pattern, "game"), match's are not (another pattern),
 * and the page says why.
 */

const steady = (ms: number, extra: Partial<EndpointPlan> = {}): EndpointPlan => ({
  perSecond: () => 20,
  latencyMs: (_t, i) => ms + (i % 5) * 0.2,
  ...extra,
});

function gamePreset(testid: string, label: string, usersAddMs: number): Summary {
  return makeSummary({
    testid,
    label,
    pattern: 'game',
    seconds: 10,
    users: () => 10,
    endpoints: {
      'GET /api/me': steady(3),
      'POST /api/sessions': steady(6),
      'GET /api/users': steady(8 + usersAddMs),
    },
  });
}

/** The match preset's shape: its HTTP is the slow setup (bcrypt), its loop is on the socket. */
const matchRun = (): Summary =>
  makeSummary({
    testid: 'match-20261122T072000',
    label: 'match',
    pattern: 'match',
    seconds: 10,
    users: () => 20,
    endpoints: {
      'POST /api/users': steady(80, { setup: true }),
      'POST /api/login': steady(60, { setup: true }),
      'ws queue': steady(400),
      'ws move': steady(5),
    },
  });

let dir: string;
let summaries: Summary[];
let opened: OpenedPage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glab-report-pattern-'));
  summaries = [
    gamePreset('baseline-20261122T070000', 'baseline', 0),
    gamePreset('bottleneck-20261122T071000', 'bottleneck', 1000),
    matchRun(),
  ];
  const { path } = await writeReport(join(dir, 'report.html'), summaries);
  opened = await openInChromium(path);
}, 60_000);

afterAll(async () => {
  await opened?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const summaryCell = (row: string, run: number) =>
  opened.page
    .locator('table.summary tbody tr')
    .filter({ has: opened.page.locator('th', { hasText: new RegExp(`^${row}$`) }) })
    .locator('td')
    .nth(run);

describe('the report colours deltas only between runs of one call pattern', () => {
  it("match's figures would be flagged by the compare rule: the test can fail", () => {
    const c = compareSummaries(summaries[0] as Summary, summaries[2] as Summary);
    expect(c.total.metrics.find((m) => m.metric === 'p95')?.flag).toBe('regressed');
  });

  it('colours the bottleneck against baseline, not match, and says why in the tooltip', async () => {
    expect(opened.errors).toEqual([]);
    for (const row of ['p95', 'p99'])
      expect(await summaryCell(row, 1).getAttribute('class')).toBe('regressed');
    for (const row of ['p50', 'p95', 'p99']) {
      expect(await summaryCell(row, 2).getAttribute('class')).toBe('incomparable');
      expect(await summaryCell(row, 2).getAttribute('title')).toBe(
        'not coloured: match-20261122T072000 played call pattern "match", baseline-20261122T070000 played call pattern "game": another shape of traffic',
      );
    }
    // The delta is still there to read, uncoloured.
    expect(await summaryCell('p95', 2).innerText()).toMatch(/\+\d/);
  });

  it("marks no endpoint cell of match, and its verdict reads 'not comparable'", async () => {
    const matchRows = opened.page.locator('table.endpoints tr[data-run="2"]');
    expect(await matchRows.count()).toBe(4);
    expect(await matchRows.locator('td.regressed, td.improved').count()).toBe(0);
    for (const verdict of await matchRows.locator('td.verdict').allInnerTexts()) {
      expect(verdict).toBe('not comparable\nanother call pattern');
    }
    const slow = opened.page.locator('table.endpoints tr[data-endpoint="GET /api/users"][data-run="1"]');
    expect(await slow.locator('td.verdict').innerText()).toBe('regressed');
  });

  it("says it at a glance and under the tables, and lists each run's pattern", async () => {
    const items = await opened.page.locator('#glance li').allInnerTexts();
    expect(items[1]).toMatch(/vs baseline-20261122T070000: regressed GET \/api\/users/);
    expect(items[2]).toMatch(/not compared with baseline-20261122T070000: another call pattern \(match\)$/);
    expect(await opened.page.locator('#glance li').nth(2).getAttribute('class')).not.toBe('bad');
    const notes = await opened.page.locator('p.incomparable-note').allInnerTexts();
    expect(notes).toHaveLength(2); // under the summary and under the endpoints
    expect(notes[0]).toMatch(/^Not coloured: match-20261122T072000 played call pattern "match"/);
    const params = await opened.page.locator('table.params tr', { hasText: 'call pattern' }).innerText();
    expect(params.split('\t').slice(1)).toEqual(['game', 'game', 'match']);
  });
});
