import { describe, expect, it } from 'vitest';
import { compareSummaries } from '../../src/compare/compare-summaries.js';
import { makeSummary } from '../report/helpers/summary-factory.js';

/** One endpoint, `perSecond` requests for 10 s: every one `ms`, except the first `slow` at `slowMs`. */
function run(testid: string, o: { perSecond: number; ms: number; slow?: number; slowMs?: number }) {
  return makeSummary({
    testid,
    seconds: 10,
    users: () => 10,
    endpoints: {
      'GET /x': {
        perSecond: () => o.perSecond,
        latencyMs: (t, i) => (t * o.perSecond + i < (o.slow ?? 0) ? (o.slowMs ?? o.ms) : o.ms),
      },
    },
  });
}

const verdictOf = (a: ReturnType<typeof run>, b: ReturnType<typeof run>) =>
  compareSummaries(a, b).endpoints[0]?.verdict;

describe('the compare rule', () => {
  it('needs both tolerances: +8 ms on 100 ms is under 10%, +12 ms is over both', () => {
    const base = run('a', { perSecond: 100, ms: 100 });
    expect(verdictOf(base, run('b', { perSecond: 100, ms: 108 }))).toBe('unchanged');
    expect(verdictOf(base, run('b', { perSecond: 100, ms: 112 }))).toBe('regressed');
    expect(verdictOf(base, run('b', { perSecond: 100, ms: 88 }))).toBe('improved');
  });

  it('needs both tolerances: 1 ms -> 5 ms is +400% but under 10 ms', () => {
    expect(verdictOf(run('a', { perSecond: 100, ms: 1 }), run('b', { perSecond: 100, ms: 5 }))).toBe(
      'unchanged',
    );
  });

  it('does not let 2 slow requests of 30 move p95, but does 200 of 3,000 (the same share)', () => {
    const few = run('a', { perSecond: 3, ms: 10 });
    const fewSlow = run('b', { perSecond: 3, ms: 10, slow: 2, slowMs: 100 });
    // 2 of 30 at 100 ms: the point p95 moved by 90 ms, its confidence interval still reaches 10 ms.
    expect(fewSlow.endpoints[0]?.count).toBe(30);
    expect(verdictOf(few, fewSlow)).toBe('unchanged');
    const many = run('a', { perSecond: 300, ms: 10 });
    const manySlow = run('b', { perSecond: 300, ms: 10, slow: 200, slowMs: 100 });
    const c = compareSummaries(many, manySlow).endpoints[0];
    expect(c?.verdict).toBe('regressed');
    expect(c?.metrics.find((m) => m.metric === 'p95')?.flag).toBe('regressed');
    expect(c?.metrics.find((m) => m.metric === 'p50')?.flag).toBe('unchanged');
  });

  it('gives no verdict under the minimum number of requests when the runs overlap', () => {
    // 20 requests each; 3 of the candidate's are slow: p95 moved, but the runs overlap.
    const c = compareSummaries(
      run('a', { perSecond: 2, ms: 10 }),
      run('b', { perSecond: 2, ms: 10, slow: 3, slowMs: 1000 }),
    ).endpoints[0];
    expect(c?.verdict).toBe('too few samples');
    expect(c?.metrics.every((m) => m.flag === 'unchanged')).toBe(true);
  });

  it('judges a small sample when the runs do not overlap at all (from 5 requests each)', () => {
    const c = compareSummaries(run('a', { perSecond: 2, ms: 10 }), run('b', { perSecond: 2, ms: 1000 }))
      .endpoints[0];
    expect(c?.baseCount).toBe(20);
    expect(c?.verdict).toBe('regressed');
    expect(c?.metrics.find((m) => m.metric === 'p50')?.flag).toBe('regressed');
    expect(verdictOf(run('a', { perSecond: 2, ms: 1000 }), run('b', { perSecond: 2, ms: 10 }))).toBe(
      'improved',
    );
    // Separated, but by less than the p50 tolerance (10 ms): no verdict.
    expect(verdictOf(run('a', { perSecond: 2, ms: 10 }), run('b', { perSecond: 2, ms: 15 }))).toBe(
      'too few samples',
    );
  });

  it('needs 5 requests on each side even when the runs do not overlap', () => {
    const few = (testid: string, ms: number) =>
      makeSummary({
        testid,
        seconds: 4,
        users: () => 1,
        endpoints: { 'GET /x': { perSecond: () => 1, latencyMs: () => ms } },
      });
    expect(few('a', 10).endpoints[0]?.count).toBe(4);
    expect(verdictOf(few('a', 10), few('b', 1000))).toBe('too few samples');
  });

  it('judges the error rate by points and by factor', () => {
    const ok = run('a', { perSecond: 100, ms: 10 });
    const failing = makeSummary({
      testid: 'b',
      seconds: 10,
      users: () => 10,
      endpoints: { 'GET /x': { perSecond: () => 100, latencyMs: () => 10, fails: (_t, i) => i < 3 } },
    });
    const c = compareSummaries(ok, failing).endpoints[0];
    expect(c?.verdict).toBe('regressed');
    expect(c?.metrics.find((m) => m.metric === 'errorRate')).toMatchObject({
      base: 0,
      candidate: 0.03,
      flag: 'regressed',
    });
  });
});
