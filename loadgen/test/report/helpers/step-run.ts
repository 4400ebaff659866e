import type { RunInfo } from '../../../src/model/summary-schema.js';
import { makeSummary } from './summary-factory.js';

const LEVELS = [20, 40, 60, 100];
const STEP_SEC = 10;
const level = (t: number): number => LEVELS[Math.min(LEVELS.length - 1, Math.floor(t / STEP_SEC))] as number;

const stepProfile: RunInfo['profile'] = {
  type: 'step',
  start: 0,
  stages: LEVELS.flatMap((target) => [
    { duration: 0, target },
    { duration: STEP_SEC, target },
  ]),
};

/**
 * A known step run: each player makes 0.25 req/s to each of two endpoints until the API
 * saturates at 30 req/s (60 players); at 100 players the rate stays at 30 req/s and latency
 * jumps past the 500 ms SLA. GET /api/users takes 100 ms and GET /api/leaderboard 20 ms below
 * the knee, so every figure of the plan can be worked out by hand.
 */
export function knownStepRun(
  options: {
    failAt100?: boolean;
    slowFirst?: boolean;
    loginBurst?: boolean;
    /** Count the users in their loop: every level reached, but the 100-user step's only 70. */
    setupLag?: boolean;
    /** `sdk`: the same operations timed by the script (vu.time), no HTTP request at all. */
    custom?: 'sdk';
  } = {},
) {
  const custom = options.custom === 'sdk';
  const perEndpoint = (t: number): number => Math.min(15, level(t) / 4);
  const saturated = (t: number): boolean => level(t) === 100 && options.failAt100 !== true;
  return makeSummary({
    testid: 'step-known',
    label: 'step',
    // The step preset is built by scenarios/game.ts, as baseline is.
    pattern: 'game',
    seconds: LEVELS.length * STEP_SEC,
    users: level,
    ...(options.setupLag ? { loopUsers: (t: number) => Math.min(level(t), 70) } : {}),
    profile: stepProfile,
    // Resources as game-api's adapter (loadgen/scenarios/game-api.ts) declares them; machine
    // sizes made up for the sums.
    resources: {
      mysql: { kind: 'pool', label: 'MySQL connections', perMachine: 151, defaultCost: 1 },
      redis: { kind: 'ops', label: 'Redis commands', perMachine: 100_000 },
    },
    costs: {
      'GET /api/users': { mysql: 1 },
      'GET /api/leaderboard': { redis: 5 },
      'POST /api/login': { mysql: 1, redis: 5 },
    },
    endpoints: {
      'GET /api/users': {
        perSecond: perEndpoint,
        latencyMs: (t) => (options.slowFirst ? 900 : saturated(t) ? 900 : 100),
        fails: (t, i) => options.failAt100 === true && level(t) === 100 && i < 3,
        custom,
      },
      'GET /api/leaderboard': {
        perSecond: perEndpoint,
        latencyMs: (t) => (options.slowFirst ? 700 : saturated(t) ? 700 : 20),
        custom,
      },
      // Each step's new players log in during its first second, slowly (bcrypt queue).
      ...(options.loginBurst
        ? {
            'POST /api/login': {
              perSecond: (t: number) => (t % STEP_SEC === 0 ? 20 : 0),
              latencyMs: () => 2000,
              setup: true,
            },
          }
        : {}),
    },
  });
}
