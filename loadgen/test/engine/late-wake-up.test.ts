import { afterEach, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { simpleRun } from '../helpers/scenarios.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('window boundaries', () => {
  it('a wake-up late across a window boundary and the end keeps the windows apart', async () => {
    // The server runs in this process and busy-waits on the first request, so the engine's
    // timer fires only after the second window and the run's end have both passed.
    let blocked = false;
    server = await startTestServer((req) => {
      if (!blocked && req.url === '/') {
        blocked = true;
        const until = performance.now() + 1300;
        while (performance.now() < until) {
          // a stalled event loop: a GC pause, a synchronous handler
        }
      }
      return false;
    });
    const config = await simpleRun(server.url, { type: 'closed', users: 1, spawnRate: 1000 }, 1);
    config.windowSec = 0.5;
    const summary = await runScenario(config);

    expect(summary.timeSeries.map((w) => w.t)).toEqual([0, 0.5]);
    // The one response arrived after the end: it belongs to the last window, not to the first.
    expect(summary.totals.requests).toBe(1);
    expect(summary.timeSeries.map((w) => w.requests)).toEqual([0, 1]);
  });
});
