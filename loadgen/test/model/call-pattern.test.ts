import { describe, expect, it } from 'vitest';
import { scenarioOptionsSchema } from '../../src/api/options-schema.js';
import {
  callPatternGroups,
  comparability,
  deriveCallPattern,
  isDerivedCallPattern,
  samePattern,
} from '../../src/model/call-pattern.js';
import { gameRun, makeSummary } from '../report/helpers/summary-factory.js';

const steady = { perSecond: () => 5, latencyMs: () => 3 };

/** A run of a scenario that declares no pattern and calls these endpoints (setup ones marked). */
function runCalling(testid: string, loop: string[], setup: string[] = []) {
  return makeSummary({
    testid,
    seconds: 3,
    users: () => 2,
    endpoints: Object.fromEntries([
      ...loop.map((e) => [e, steady]),
      ...setup.map((e) => [e, { ...steady, setup: true }]),
    ]),
  });
}

describe('the call pattern of a run', () => {
  it('is derived from the loop endpoints alone: same names in any order give one id, setup left out', () => {
    const a = deriveCallPattern([{ endpoint: 'GET /a' }, { endpoint: 'POST /b' }]);
    expect(a).toMatch(/^loop:[0-9a-f]{10}$/);
    expect(isDerivedCallPattern(a)).toBe(true);
    expect(
      deriveCallPattern([
        { endpoint: 'POST /b' },
        { endpoint: 'POST /login', setup: true },
        { endpoint: 'GET /a' },
      ]),
    ).toBe(a);
    expect(deriveCallPattern([{ endpoint: 'GET /a' }])).not.toBe(a);
    const run = runCalling('r', ['POST /b', 'GET /a'], ['POST /login']);
    expect(run.run.callPattern).toBe(a);
  });

  it('a declared pattern is a name that cannot look like a derived one', () => {
    const base = { model: { type: 'closed', users: 1 } } as const;
    expect(scenarioOptionsSchema.parse({ ...base, pattern: 'game' }).pattern).toBe('game');
    const derivedLike = scenarioOptionsSchema.safeParse({ ...base, pattern: 'loop:0123456789' });
    expect(derivedLike.success).toBe(false);
  });

  it('makes runs of one pattern comparable whatever their load and fault', () => {
    const baseline = gameRun('baseline-1');
    const bottleneck = gameRun('bottleneck-1', {
      label: 'bottleneck',
      slow: { endpoint: 'GET /api/users', addMs: 1000 },
    });
    expect(comparability(baseline, bottleneck)).toEqual({ comparable: true });
  });

  it('says which patterns differ, and for undeclared ones which endpoints only one run calls', () => {
    const declaring = (testid: string, pattern: string, endpoint: string) =>
      makeSummary({ testid, pattern, seconds: 2, users: () => 1, endpoints: { [endpoint]: steady } });
    const game = declaring('baseline-1', 'game', 'GET /me');
    const match = declaring('match-1', 'match', 'ws move');
    expect(comparability(game, match)).toEqual({
      comparable: false,
      reason:
        'match-1 played call pattern "match", baseline-1 played call pattern "game": another shape of traffic',
    });
    const one = runCalling('one', ['GET /a', 'POST /b']);
    const two = runCalling('two', ['GET /a', 'GET /c', 'GET /d', 'GET /e', 'GET /f']);
    const verdict = comparability(one, two);
    expect(verdict.comparable).toBe(false);
    expect(verdict.comparable === false && verdict.reason).toBe(
      `two played an undeclared call pattern (${two.run.callPattern}, from its loop's endpoints), one played an undeclared call pattern (${one.run.callPattern}, from its loop's endpoints): another shape of traffic (only two calls GET /c, GET /d, GET /e and 1 more; only one calls POST /b)`,
    );
  });

  it('matches a run that declares no pattern with a declared one when their loops called the same endpoints', () => {
    // A v2 summary of the game preset (derived on read) against a v3 run that declares `game`.
    const declared = makeSummary({
      testid: 'baseline-v3',
      pattern: 'game',
      seconds: 2,
      users: () => 1,
      endpoints: { 'GET /a': steady, 'POST /b': steady, 'POST /login': { ...steady, setup: true } },
    });
    const older = runCalling('baseline-v2', ['POST /b', 'GET /a']);
    const other = runCalling('other', ['GET /a']);
    expect(samePattern(declared, older)).toBe(true);
    expect(comparability(declared, older)).toEqual({ comparable: true });
    expect(comparability(older, declared)).toEqual({ comparable: true });
    const verdict = comparability(declared, other);
    expect(verdict.comparable === false && verdict.reason).toMatch(
      /other played an undeclared call pattern .*, baseline-v3 played call pattern "game": another shape of traffic \(only baseline-v3 calls POST \/b\)/,
    );
    // Two declared names never match, whatever they called.
    const renamed = makeSummary({
      ...{ testid: 'x', pattern: 'game2', seconds: 2, users: () => 1 },
      endpoints: { 'GET /a': steady, 'POST /b': steady },
    });
    expect(samePattern(declared, renamed)).toBe(false);
  });

  it('groups runs for the history: a derived run joins the one declared name its loop matches', () => {
    const game = (testid: string, endpoints: string[]) =>
      makeSummary({
        testid,
        pattern: 'game',
        seconds: 2,
        users: () => 1,
        endpoints: Object.fromEntries(endpoints.map((e) => [e, steady])),
      });
    const runs = [
      runCalling('v2-baseline', ['GET /a', 'POST /b']),
      game('v3-baseline', ['GET /a', 'POST /b']),
      // A short game run that missed a branch still declares game.
      game('v3-short', ['GET /a']),
      runCalling('unrelated', ['GET /z']),
      makeSummary({
        testid: 'match',
        pattern: 'match',
        seconds: 2,
        users: () => 1,
        endpoints: { 'ws move': steady },
      }),
    ];
    const groups = callPatternGroups(runs);
    expect(groups.slice(0, 3)).toEqual(['game', 'game', 'game']);
    expect(groups[3]).toBe(runs[3]!.run.callPattern);
    expect(groups[4]).toBe('match');
    // Ambiguous: two declared names called the same endpoints; the derived run stays on its own.
    const twin = makeSummary({
      testid: 'twin',
      pattern: 'twin',
      seconds: 2,
      users: () => 1,
      endpoints: { 'GET /a': steady, 'POST /b': steady },
    });
    expect(callPatternGroups([runs[0]!, runs[1]!, twin])).toEqual([runs[0]!.run.callPattern, 'game', 'twin']);
  });
});
