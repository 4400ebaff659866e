import type { Summary } from '../../../src/model/summary-schema.js';
import { knownStepRun } from './step-run.js';
import { type EndpointPlan, makeSummary } from './summary-factory.js';

/** A testid a user could type that would run script if the page did not escape it. */
export const HOSTILE_TESTID = 'bottleneck-<img src=x onerror="window.__xss=1">';

const BASE_MS: Record<string, number> = {
  'GET /api/me': 3,
  'POST /api/sessions': 6,
  'GET /api/leaderboard': 2,
  'GET /api/users': 8,
};

function endpoints(slowUsersByMs: number, failEvery: number): Record<string, EndpointPlan> {
  const out: Record<string, EndpointPlan> = {};
  for (const [name, ms] of Object.entries(BASE_MS)) {
    const slow = name === 'GET /api/users' ? slowUsersByMs : 0;
    out[name] = {
      perSecond: (t) => (t < 2 ? 10 : 20),
      latencyMs: (_t, i) => ms + slow + (i % 10) * 0.3,
      ...(failEvery > 0 && name === 'POST /api/sessions'
        ? { fails: (_t: number, i: number) => i % failEvery === 0 }
        : {}),
    };
  }
  return out;
}

/** baseline, a bottleneck run (fault on GET /api/users, failures, a failed threshold) and a step run. */
export function reportFixtures(): Summary[] {
  const baseline = makeSummary({
    testid: 'baseline-20261122T070000',
    label: 'baseline',
    pattern: 'game',
    seconds: 12,
    users: (t) => Math.min(10, 2 * (t + 1)),
    endpoints: endpoints(0, 0),
    thresholds: [
      { expr: 'p95<500', endpoint: null, metric: 'p95', op: '<', limit: 500, actual: 8.5, passed: true },
    ],
  });
  const bottleneck = makeSummary({
    testid: HOSTILE_TESTID,
    label: 'bottleneck',
    pattern: 'game',
    seconds: 10,
    startedAt: '2026-11-22T07:05:00.000Z',
    users: (t) => Math.min(10, 2 * (t + 1)),
    endpoints: endpoints(1000, 10),
    fault: { delayMs: 1000, route: 'GET /api/users', mode: 'app' },
    thresholds: [
      { expr: 'p95<500', endpoint: null, metric: 'p95', op: '<', limit: 500, actual: 1009, passed: false },
    ],
  });
  return [baseline, bottleneck, knownStepRun()];
}
