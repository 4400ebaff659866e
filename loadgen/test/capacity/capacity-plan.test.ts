import { describe, expect, it } from 'vitest';
import { planCapacity } from '../../src/capacity/capacity-plan.js';
import { formatCapacity } from '../../src/terminal/format-capacity.js';
import { knownStepRun } from '../report/helpers/step-run.js';
import { makeSummary } from '../report/helpers/summary-factory.js';

describe('capacity: step table, knee and plan on a known step run', () => {
  it('adds each step up as the seeds step tables do', () => {
    const r = planCapacity(knownStepRun());
    expect(r.steps.map((s) => s.users)).toEqual([20, 40, 60, 100]);
    expect(r.steps.map((s) => s.requests)).toEqual([100, 200, 300, 300]);
    expect(r.steps.map((s) => s.rps)).toEqual([10, 20, 30, 30]);
    expect(r.steps.map((s) => s.failures)).toEqual([0, 0, 0, 0]);
    // HdrHistogram keeps 3 significant digits: figures within 0.1%.
    for (const s of r.steps.slice(0, 3)) {
      expect(s.meanMs).toBeCloseTo(60, 0);
      expect(s.p95Ms).toBeGreaterThanOrEqual(100);
      expect(s.p95Ms).toBeLessThan(100.2);
    }
    expect(r.steps[3]?.p95Ms).toBeGreaterThanOrEqual(900);
  });

  it('puts the knee on the last step under the SLA and the saturation at the highest rate', () => {
    const r = planCapacity(knownStepRun());
    expect(r.knee).toBe(2);
    expect(r.breach).toBe(3);
    expect(r.breachReason).toMatch(/^p95 9\d\d(\.\d+)? ms > SLA 500 ms$/);
    expect(r.saturationRps).toBe(30);
  });

  it("plans a million players: req/s, instances, Little's law, and each declared resource", () => {
    const { plan } = planCapacity(knownStepRun(), { users: 1_000_000, headroom: 0.3 });
    if (plan === null) throw new Error('expected a plan');
    // 10 req/s at 20 players = 0.5 req/s per player.
    expect(plan.perUserRps).toBe(0.5);
    expect(plan.neededRps).toBe(500_000);
    expect(plan.perInstanceRps).toBe(30);
    expect(plan.apiInstances).toBe(Math.ceil(500_000 / (30 * 0.7))); // 23,810
    // Little's law: 500,000 req/s x 60 ms mean.
    expect(plan.inFlightRequests / 30_000).toBeCloseTo(1, 2);
    const [mysql, redis] = plan.resources;
    // The pool: only GET /api/users (half the requests, 100 ms) holds one: 250,000 x 0.1 s / 0.7.
    expect(mysql?.name).toBe('mysql');
    expect((mysql?.total ?? 0) / (25_000 / 0.7)).toBeCloseTo(1, 2);
    expect(mysql?.perInstance).toBe((mysql?.total ?? 0) / plan.apiInstances);
    expect(mysql?.machines).toBe(Math.ceil((mysql?.total ?? 0) / 151));
    // The ops: GET /api/leaderboard's 5 commands x 250,000 req/s / 0.7.
    expect(redis?.name).toBe('redis');
    expect(redis?.total).toBeCloseTo(1_250_000 / 0.7, 0);
    expect(redis?.machines).toBe(18);
  });

  it('scales with the share of players online at once', () => {
    const all = planCapacity(knownStepRun()).plan;
    const tenth = planCapacity(knownStepRun(), { concurrentShare: 0.1 }).plan;
    expect(tenth?.neededRps).toBe(50_000);
    expect(tenth?.apiInstances).toBe(Math.ceil(50_000 / 21));
    expect(all?.neededRps).toBe(500_000);
  });

  it('treats failures over 1% as past the knee', () => {
    const r = planCapacity(knownStepRun({ failAt100: true }));
    // 3 of 150 GET /api/users fail in each second of the last step: 30 of 300 = 10%.
    expect(r.steps[3]?.failures).toBe(30);
    expect(r.breach).toBe(3);
    expect(r.breachReason).toBe('failures 10.00% > 1.00%');
  });

  it("leaves the players' setup calls out of the steps unless asked", () => {
    const steady = planCapacity(knownStepRun({ loginBurst: true }));
    expect(steady.steps.map((s) => s.requests)).toEqual([100, 200, 300, 300]);
    expect(steady.knee).toBe(2);
    expect(formatCapacity(steady)).toContain(
      'Steady loop only: leaves out POST /api/login (see assumptions)',
    );
    const all = planCapacity(knownStepRun({ loginBurst: true }), { includeSetup: true });
    expect(all.steps.map((s) => s.requests)).toEqual([120, 220, 320, 320]);
    // 20 of 120 requests at 2 s: the first step's p95 is the login burst.
    expect(all.knee).toBeNull();
  });

  it('gives no plan when the first step already breaks the SLA', () => {
    const r = planCapacity(knownStepRun({ slowFirst: true }));
    expect(r.knee).toBeNull();
    expect(r.plan).toBeNull();
    expect(formatCapacity(r)).toContain('No knee');
  });

  it('prints the table, the knee, the plan and its assumptions', () => {
    const text = formatCapacity(planCapacity(knownStepRun()));
    expect(text).toMatch(/^\s*60\s+—\s+300\s+0\s+0%\s+60\s+100(\.\d)?\s+30\s+← knee$/m);
    expect(text).toContain('Capacity plan for 1,000,000 players');
    expect(text).toContain('API instances     23,810');
    expect(text).toContain('Assumptions:');
  });

  it('refuses a run that is not a step run, naming it', () => {
    const constant = makeSummary({
      testid: 'baseline-x',
      seconds: 3,
      users: () => 1,
      endpoints: { 'GET /': { perSecond: () => 1, latencyMs: () => 1 } },
    });
    expect(() => planCapacity(constant)).toThrow(/baseline-x is a constant run: capacity needs a step run/);
  });

  it('reads a run with no HTTP request (a game driven through its SDK) by its custom trends in ms', () => {
    const http = planCapacity(knownStepRun());
    const sdk = planCapacity(knownStepRun({ custom: 'sdk' }));
    const figures = (r: typeof http) => r.steps.map((s) => [s.requests, s.rps, s.failures, s.p95Ms]);
    expect(figures(sdk)).toEqual(figures(http));
    expect(sdk.knee).toBe(http.knee);
    expect(sdk.assumptions).toContainEqual(expect.stringMatching(/^no HTTP request in this run/));
    expect(http.assumptions).not.toContainEqual(expect.stringMatching(/^no HTTP request/));
  });

  it('leaves custom trends out of a run that made HTTP requests (a trend may time one)', () => {
    const summary = knownStepRun();
    const wrapped = knownStepRun({ custom: 'sdk' });
    // The same run with the script's own timing of each request beside it.
    const both = {
      ...summary,
      endpoints: [
        ...summary.endpoints,
        ...wrapped.endpoints.map((e) => ({ ...e, endpoint: `timed ${e.endpoint}` })),
      ],
      timeSeries: summary.timeSeries.map((w, i) => ({
        ...w,
        endpoints: {
          ...w.endpoints,
          ...Object.fromEntries(
            Object.entries(wrapped.timeSeries[i]?.endpoints ?? {}).map(([name, e]) => [`timed ${name}`, e]),
          ),
        },
      })),
    };
    expect(planCapacity(both).steps).toEqual(planCapacity(summary).steps);
  });
});

describe('capacity on a run that was steered, or whose generator saturated', () => {
  it('reads a steered step run only up to its first change, and says so', () => {
    const run = knownStepRun();
    // At 25 s (in the 60-user step) someone set 100 users from the dashboard.
    run.timeline = [{ t: 25, action: 'users', users: 100, spawnRate: 10, source: 'page' }];
    const r = planCapacity(run);
    expect(r.steered).toEqual({ atSec: 25, changes: 1 });
    expect(r.steps.map((s) => [s.users, s.startSec, s.endSec])).toEqual([
      [20, 0, 10],
      [40, 10, 20],
      [60, 20, 25],
    ]);
    const text = formatCapacity(r);
    expect(text).toContain('STEERED at 25 s (1 change): not a clean step run');
    expect(r.assumptions.join('\n')).toContain('the run was steered at 25 s');
  });

  it('refuses a run steered before its first step had a window', () => {
    const run = knownStepRun();
    run.timeline = [{ t: 0, action: 'stop', source: 'cli' }];
    expect(() => planCapacity(run)).toThrow(/was steered at 0 s, before its first step had a whole window/);
  });

  it("marks the steps whose windows saturated the generator, and warns that the knee may be the client's", () => {
    const run = knownStepRun();
    for (const w of run.timeSeries) {
      const hot = w.t >= 30;
      w.generator = {
        cpu: hot ? 1 : 0.2,
        rssMb: 80,
        threads: [{ thread: 0, busy: hot ? 0.97 : 0.2, loopP50Ms: 1, loopP99Ms: 2, loopMaxMs: 3 }],
      };
    }
    run.generator = {
      saturated: true,
      saturatedWindows: 10,
      saturatedFromSec: 30,
      rule: { busy: 0.9, loopP99Ms: 50, windows: 3 },
      peakCpu: 1,
      peakRssMb: 80,
      maxBusy: 0.97,
      maxLoopP99Ms: 2,
    };
    const r = planCapacity(run);
    expect(r.generatorSaturated).toBe(true);
    expect(r.steps.map((s) => s.saturatedWindows)).toEqual([0, 0, 0, 10]);
    const text = formatCapacity(r);
    expect(text).toContain(
      "WARNING: the generator saturated: the steps' latencies include loadgen's own queueing",
    );
    expect(text).toMatch(/^100 .*\(generator saturated\)$/m);
  });
});
