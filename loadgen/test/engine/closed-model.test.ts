import { afterEach, describe, expect, it } from 'vitest';
import { expandProfile, UserCountSchedule } from '../../src/engine/profile.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { simpleRun } from '../helpers/scenarios.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('closed model', () => {
  it('starts users at the spawn rate and holds the target count', async () => {
    server = await startTestServer();
    const summary = await runScenario(
      await simpleRun(server.url, { type: 'closed', users: 12, spawnRate: 4 }, 5, {}, { think: 0.05 }),
    );
    const users = summary.timeSeries.map((w) => w.activeUsers);
    // Window t ends at t+1 s: 4, 8, 12, 12, 12 users (one user of slack for timer jitter).
    expect(users).toHaveLength(5);
    [4, 8, 12, 12, 12].forEach((want, i) => {
      expect(Math.abs((users[i] ?? -1) - want)).toBeLessThanOrEqual(1);
    });
    expect(summary.totals.peakUsers).toBe(12);
    expect(summary.totals.errors).toBe(0);
  });

  it('computes the same global user count for every process (10 ms grid from t=0)', () => {
    const profile = expandProfile({ type: 'constant' }, 100, 60);
    const a = new UserCountSchedule(profile, 10);
    // Each 10 ms step's users start as the step begins: at t = 0 the first step's already run.
    expect([0, 0.5, 1, 2.55, 9.98, 9.99, 30].map((t) => a.countAt(t))).toEqual([0, 5, 10, 25, 99, 100, 100]);
    // An instant spawn (loadgen url) has every user running from t = 0, not from the first tick.
    expect(new UserCountSchedule(profile, 1e9).countAt(0)).toBe(100);
    const step = expandProfile({ type: 'step', levels: [10, 30], stepDuration: 5 }, 30, 10);
    const b = new UserCountSchedule(step, 10);
    // Spawn-limited climb to 10, hold, then climb 10 -> 30 at 10/s from t=5.
    expect([0.5, 1, 4, 5.5, 6, 7, 9].map((t) => b.countAt(t))).toEqual([5, 10, 10, 15, 20, 30, 30]);
  });
});
