import { afterEach, describe, expect, it } from 'vitest';
import { type RunProgress, runScenario } from '../../src/run/run-scenario.js';
import { simpleRun } from '../helpers/scenarios.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The server stalls for 1 s once the run's first 1 s window has closed (mid-run, whatever setup took). */
const stallAfterFirstWindow = (s: TestServer): RunProgress => ({
  update: (w) => {
    if (w.t === 0) s.stallFor(1000);
  },
  finish: () => undefined,
});

describe('open model', () => {
  it('starts iterations at the target rate (within 2%) whatever the responses do', async () => {
    server = await startTestServer();
    const summary = await runScenario(
      await simpleRun(server.url, { type: 'open', rate: 200, preAllocatedVUs: 20, maxVUs: 200 }, 3),
    );
    const achieved = summary.totals.iterations / summary.run.durationSec;
    expect(Math.abs(achieved - 200) / 200).toBeLessThan(0.02);
    // Every iteration reached the server, and the summary says so.
    expect(server.counts.get('GET /')).toBe(summary.totals.requests);
    expect(summary.totals.requests).toBe(summary.totals.iterations);
    expect(summary.totals.droppedIterations).toBe(0);
    // No setup: every busy user is in its loop.
    for (const w of summary.timeSeries) expect(w.loopUsers).toBe(w.activeUsers);
  });

  it('shows a 1 s server stall in p99 (latency counts from the intended start)', async () => {
    server = await startTestServer();
    const summary = await runScenario(
      await simpleRun(server.url, { type: 'open', rate: 100, preAllocatedVUs: 10, maxVUs: 500 }, 3),
      { progress: stallAfterFirstWindow(server) },
    );
    // ~100 of ~300 iterations were scheduled during the stall: the slowest waited ~1 s.
    expect(summary.totals.latencyMs.p99).toBeGreaterThan(800);
    expect(summary.totals.latencyMs.max).toBeGreaterThan(900);
    expect(summary.totals.latencyMs.p50).toBeLessThan(500);
  });

  it('contrast: the closed model hides the same stall from p99 (coordinated omission)', async () => {
    server = await startTestServer();
    const summary = await runScenario(
      await simpleRun(server.url, { type: 'closed', users: 5, spawnRate: 100 }, 3),
      { progress: stallAfterFirstWindow(server) },
    );
    // Only the 5 requests in flight waited; thousands of fast ones dilute them below p99.
    expect(summary.totals.requests).toBeGreaterThan(1000);
    expect(summary.totals.latencyMs.max).toBeGreaterThan(800);
    expect(summary.totals.latencyMs.p99).toBeLessThan(500);
  });

  it('counts iterations as dropped when every user is busy', async () => {
    server = await startTestServer();
    server.stallFor(3000);
    const summary = await runScenario(
      await simpleRun(server.url, { type: 'open', rate: 50, preAllocatedVUs: 5, maxVUs: 5 }, 2),
    );
    // 5 users hang on the stalled server; the other ~95 scheduled iterations are dropped.
    expect(summary.totals.droppedIterations).toBeGreaterThan(80);
    expect(summary.totals.iterations + summary.totals.droppedIterations).toBeGreaterThanOrEqual(99);
    expect(summary.timeSeries.some((w) => w.droppedIterations > 0)).toBe(true);
  });
});
