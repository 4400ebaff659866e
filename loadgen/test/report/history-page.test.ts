import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { levelSummary, steadyRuns, writeRun } from '../history/helpers/history-runs.js';
import { openInChromium } from './helpers/chromium.js';

const root = mkdtempSync(join(tmpdir(), 'loadgen-history-page-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe('the history page (loadgen history --html) in a real Chromium', () => {
  it('draws a chart per endpoint and figure with the runs as points, marks the change, links each run', async () => {
    const results = join(root, 'results');
    const runs = steadyRuns(
      'nightly',
      10,
      { 'GET /api/users': 8, 'GET /api/me': 3 },
      (i, e) => (e === 'GET /api/users' && i >= 6 ? 2 : 1),
      // User input everywhere it is shown: it must stay text.
      { pattern: 'game', tags: { commit: '<img src=x onerror="document.title=1">' } },
    );
    for (const r of runs) writeRun(results, r.testid, levelSummary(r));
    // The page goes elsewhere: its links to the summaries are relative to where it is.
    const page = join(root, 'pages', 'history.html');
    mkdirSync(join(root, 'pages'), { recursive: true });
    const r = await runCli(['history', results, '--html', page]);
    expect(r.stderr).toMatch(/wrote .*history\.html \(\d+ KB\)/);

    const opened = await openInChromium(page);
    try {
      const { page: p } = opened;
      const charts = p.locator('.chart');
      // Two endpoints × five figures (p50, p95, p99, error ratio, req/s).
      expect(await charts.count()).toBe(10);
      for (const drawn of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-drawn')))) {
        expect(drawn).toBe('10');
      }
      const changes = await charts.evaluateAll((els) =>
        els.map((e) => [e.closest('section')?.querySelectorAll('h3').length, e.getAttribute('data-changes')]),
      );
      // GET /api/users' three latency figures carry the change; nothing else does.
      expect(changes.filter(([, n]) => n !== '0')).toHaveLength(3);
      const table = await p.locator('#changes table').innerText();
      expect(table).toMatch(/FAILS · regression/);
      expect(table).toMatch(/GET \/api\/users p50: .* → .* ms/);
      expect(table).toContain('nightly-07');
      expect(table).toContain('<img src=x');
      expect(await p.locator('img').count()).toBe(0);
      expect(await p.title()).not.toBe('1');
      mkdirSync(ARTIFACTS, { recursive: true });
      await p.screenshot({ path: join(ARTIFACTS, 'history.png'), fullPage: true });
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);

      // The change table links to the first run after the change; a click on a chart opens a run.
      expect(await p.locator('#changes a').first().getAttribute('href')).toBe(
        '../results/nightly-07/summary.json',
      );
      const over = p.locator('#chart-0-5 .u-over');
      await over.scrollIntoViewIfNeeded();
      const box = await over.boundingBox();
      if (box === null) throw new Error('the chart has no plot area');
      // x runs from 0.5 to 10.5: run 3 sits at 2.5 / 10 of the width.
      await p.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
      await p.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
      await p.waitForURL(/nightly-03\/summary\.json$/);
      expect(await p.locator('body').innerText()).toMatch(/"testid":\s*"nightly-03"/);
    } finally {
      await opened.close();
    }
  });
});
