import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSummaries } from '../../src/compare/compare-summaries.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { writeReport } from '../../src/report/write-report.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { openInChromium } from '../report/helpers/chromium.js';
import { type GameApi, startGameApi } from './helpers/game-api-process.js';

const DELAY_MS = 1000;
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

let plain: GameApi;
let faulty: GameApi;
let baseline: Summary;
let bottleneck: Summary;

/** The lab's presets, shortened: 30 players so that 20 s give enough GET /api/users samples. */
async function labConfig(preset: 'baseline' | 'bottleneck', api: GameApi) {
  return resolveRun(await loadScenario(preset), {
    target: api.url,
    testid: `${preset}-compare-test`,
    users: 30,
    spawnRate: 10,
    durationSec: 20,
  });
}

/**
 * Both runs at the same time, each against its own game-api (the bottleneck one with the fault
 * set from its environment, as BOTTLENECK_DELAY_MS does in the lab), so whatever else the
 * machine does at that moment (other test files, a cold JIT) weighs on both sides alike. Both
 * scenarios are bundled before either run starts: on a loaded machine one bundle may take seconds
 * longer than the other, and the runs would then overlap only in part.
 */
beforeAll(async () => {
  [plain, faulty] = await Promise.all([
    startGameApi(),
    startGameApi({
      BOTTLENECK_DELAY_MS: String(DELAY_MS),
      BOTTLENECK_ROUTE: 'GET /api/users',
      BOTTLENECK_MODE: 'app',
    }),
  ]);
  const [baselineRun, bottleneckRun] = await Promise.all([
    labConfig('baseline', plain),
    labConfig('bottleneck', faulty),
  ]);
  [baseline, bottleneck] = await Promise.all([runScenario(baselineRun), runScenario(bottleneckRun)]);
  // Kept for a person to re-run `loadgen compare` on when this test fails.
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'compare-baseline.json'), JSON.stringify(baseline));
  writeFileSync(join(ARTIFACTS, 'compare-bottleneck.json'), JSON.stringify(bottleneck));
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), faulty?.stop()]);
});

describe('compare on the lab presets against the real game-api (app-mode fault)', () => {
  it('names GET /api/users as the one regressed endpoint, its added median within 10% of the delay', () => {
    const c = compareSummaries(baseline, bottleneck);
    expect(c.candidate.fault).toEqual({ delayMs: DELAY_MS, route: 'GET /api/users', mode: 'app' });
    expect(c.regressed).toEqual(['GET /api/users']);
    const users = c.endpoints.find((e) => e.endpoint === 'GET /api/users');
    const added = users?.metrics.find((m) => m.metric === 'p50')?.delta ?? 0;
    expect(Math.abs(added - DELAY_MS)).toBeLessThanOrEqual(DELAY_MS * 0.1);
    // The other endpoints are not regressed (c.regressed above), but they may come out improved:
    // the bottleneck's players wait a second on every GET /api/users, so its game-api serves fewer
    // requests than the baseline's, and on a loaded machine that lighter load shows.
    for (const e of c.endpoints.filter((x) => x.endpoint !== 'GET /api/users')) {
      expect([e.endpoint, e.verdict]).not.toEqual([e.endpoint, 'regressed']);
    }
  });

  it("places the added time inside the server, from game-api's own histogram", () => {
    const users = compareSummaries(baseline, bottleneck).endpoints.find(
      (e) => e.endpoint === 'GET /api/users',
    );
    expect(users?.server?.where).toBe('inside the server');
  });

  it('reports both runs in a page Chromium renders without errors', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { path } = await writeReport(join(ARTIFACTS, 'report-game-api.html'), [baseline, bottleneck]);
    const opened = await openInChromium(path);
    try {
      await opened.page.screenshot({ path: join(ARTIFACTS, 'report-game-api.png'), fullPage: true });
      expect(opened.errors).toEqual([]);
      const regressed = opened.page.locator('table.endpoints td.verdict.regressed');
      expect(await regressed.count()).toBe(1);
      expect(await regressed.textContent()).toBe('regressedinside the server');
      expect(await opened.page.locator('#glance').textContent()).toMatch(
        /regressed GET \/api\/users \(p50 \+(9\d\d|1,0\d\d)(\.\d)? ms, inside the server\)/,
      );
    } finally {
      await opened.close();
    }
  }, 30_000);
});
