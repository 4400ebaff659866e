/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { type OpenedPage, openInChromium } from './helpers/chromium.js';
import { sdkRun } from './helpers/sdk-run.js';

let dir: string;
let opened: OpenedPage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glab-report-custom-'));
  const { path } = await writeReport(
    join(dir, 'report.html'),
    [sdkRun('before', 20, 50), sdkRun('after', 120, 60)],
    {
      generatedAt: '2026-11-22T08:00:00Z',
    },
  );
  opened = await openInChromium(path);
  await opened.page.waitForFunction(() => document.querySelectorAll('.chart[data-drawn]').length > 0);
}, 60_000);

afterAll(async () => {
  await opened?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const text = (selector: string) => opened.page.locator(selector).first().innerText();

describe('the HTML report of runs with custom measurements, in a real Chromium', () => {
  it('judges a custom trend in ms as an endpoint, and shows one of another unit in its unit, unjudged', async () => {
    expect(opened.errors).toEqual([]);
    expect(await text('table.endpoints tr[data-endpoint="join room"][data-run="1"] td.verdict')).toBe(
      'regressed',
    );
    expect(await text('table.endpoints th:has-text("room size")')).toBe('room size (players)');
    expect(await text('table.endpoints tr[data-endpoint="room size"][data-run="1"] td.verdict')).toBe(
      'not judged',
    );
    const captions = await opened.page.locator('#charts figcaption').allInnerTexts();
    expect(captions).toEqual(expect.arrayContaining(['join room', 'move round trip', 'room size (players)']));
  });

  it('has a custom metrics section: each run’s counter, and its chart drawn', async () => {
    const cells = await opened.page.locator('table.metrics tr[data-metric="moves sent"] td').allInnerTexts();
    expect(cells).toEqual(['500\n50/s', '600\n60/s']);
    expect(await text('#metrics figcaption')).toBe('moves sent (counter)');
    // Every chart on the page drew both runs' lines.
    const drawn = await opened.page.evaluate(() =>
      Array.from(document.querySelectorAll('.chart'), (c) => [c.id, c.getAttribute('data-drawn')]),
    );
    expect(drawn).toContainEqual(['chart-metric-0', '2']);
    expect(drawn.filter(([, n]) => n !== '2')).toEqual([]);
  });
});
