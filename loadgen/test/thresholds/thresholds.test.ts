import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { abortsNow } from '../../src/thresholds/abort-rule.js';
import { evaluateThresholds, type Judged } from '../../src/thresholds/threshold-evaluator.js';
import { parseThreshold } from '../../src/thresholds/threshold-parser.js';

const latency = (p95: number) => ({
  min: 1,
  mean: 10,
  p50: 8,
  p90: 20,
  p95,
  p99: p95 * 2,
  p999: p95 * 3,
  max: 900,
});

const summary = {
  totals: {
    requests: 1000,
    errors: 5,
    errorRate: 0.005,
    bytes: 0,
    rps: 100,
    iterations: 200,
    droppedIterations: 3,
    peakUsers: 10,
    latencyMs: latency(120),
    histogram: '',
    peakConnected: 10,
  },
  endpoints: [
    {
      endpoint: 'GET /api/users',
      count: 100,
      errors: 5,
      bytes: 0,
      statusCounts: {},
      latencyMs: latency(250),
      rps: 10,
      histogram: '',
    },
    {
      endpoint: 'ws moved',
      kind: 'ws' as const,
      count: 400,
      errors: 0,
      bytes: 0,
      statusCounts: {},
      latencyMs: latency(40),
      rps: 40,
      histogram: '',
    },
  ],
} satisfies Pick<Summary, 'totals' | 'endpoints'>;

describe('thresholds', () => {
  it('parses metrics, units and endpoint scopes (routes contain colons)', () => {
    expect(parseThreshold('p95<500')).toMatchObject({ endpoint: null, metric: 'p95', op: '<', limit: 500 });
    expect(parseThreshold('p99 <= 1.5s')).toMatchObject({ metric: 'p99', op: '<=', limit: 1500 });
    expect(parseThreshold('errors<1%')).toMatchObject({ metric: 'errors', limit: 0.01 });
    expect(parseThreshold('POST /api/sessions/:id/score:p95<200')).toMatchObject({
      endpoint: 'POST /api/sessions/:id/score',
      metric: 'p95',
      limit: 200,
    });
  });

  it('takes a socket message type as an endpoint, and the peak of connected sockets as ccu', () => {
    expect(parseThreshold('ws moved:p95<100')).toMatchObject({
      endpoint: 'ws moved',
      metric: 'p95',
      limit: 100,
    });
    expect(parseThreshold('ccu>=10000')).toMatchObject({
      endpoint: null,
      metric: 'ccu',
      op: '>=',
      limit: 10000,
    });
    expect(() => parseThreshold('ccu>=10%')).toThrow(/ccu takes no unit/);
    // ccu is the run's, not an endpoint's: refused rather than failing unseen.
    expect(() => parseThreshold('ws moved:ccu>1')).toThrow(/ccu is the whole run's: drop the name/);
    const results = evaluateThresholds(
      ['ws moved:p95<100', 'ws moved:p95<10', 'ws moved:errors<1%', 'ccu>=10', 'ccu>10'].map(parseThreshold),
      summary,
    );
    expect(results.map((r) => [r.expr, r.actual, r.passed])).toEqual([
      ['ws moved:p95<100', 40, true],
      ['ws moved:p95<10', 40, false],
      ['ws moved:errors<1%', 0, true],
      ['ccu>=10', 10, true],
      ['ccu>10', 10, false],
    ]);
  });

  it('rejects nonsense with a message that shows the syntax', () => {
    expect(() => parseThreshold('p95 is fast')).toThrow(/\[NAME:\]METRIC<VALUE/);
    expect(() => parseThreshold('p95<5%')).toThrow(/takes ms or s/);
    expect(() => parseThreshold('errors<5ms')).toThrow(/ratio or %/);
  });

  it('evaluates on totals or one endpoint; an unknown endpoint fails', () => {
    const results = evaluateThresholds(
      [
        'p95<500',
        'errors<1%',
        'GET /api/users:p95<200',
        'GET /api/users:errors<1%',
        'dropped<1',
        'GET /nope:p95<1e9',
      ].map((e) => parseThreshold(e.replace('1e9', '1000000000'))),
      summary,
    );
    expect(results.map((r) => [r.expr.split(':')[0], r.actual, r.passed])).toEqual([
      ['p95<500', 120, true],
      ['errors<1%', 0.005, true],
      ['GET /api/users', 250, false],
      ['GET /api/users', 0.05, false],
      ['dropped<1', 3, false],
      ['GET /nope', null, false],
    ]);
    expect(results.at(-1)?.reason).toBe('no data: nothing named "GET /nope" was measured');
  });

  it('judges custom trends, counters, rates, gauges, checks and script errors, each by what applies to it', () => {
    const judged: Judged = {
      ...summary,
      totals: { ...summary.totals, iterations: 90, setups: 10, teardowns: 0, scriptErrors: 2 },
      endpoints: [
        ...summary.endpoints,
        { ...summary.endpoints[0]!, endpoint: 'join room', kind: 'custom' as const, count: 50, errors: 1 },
        { ...summary.endpoints[0]!, endpoint: 'room size', kind: 'custom' as const, unit: 'players' },
      ],
      checks: [
        { label: 'joined', passes: 98, fails: 1 },
        { label: 'moved', passes: 1, fails: 0 },
      ],
      metrics: [
        { name: 'moves sent', type: 'counter' as const, count: 1200, rps: 20 },
        { name: 'match found', type: 'rate' as const, passes: 96, fails: 4, rate: 0.96 },
        { name: 'rooms open', type: 'gauge' as const, value: 12, min: 0, max: 40 },
      ],
    };
    const results = evaluateThresholds(
      [
        'join room:p95<300',
        'join room:errors<1%',
        'join room:count>=50',
        'room size:p95<300',
        'room size:p95<300ms',
        'moves sent:count>1000',
        'moves sent:rps>30',
        'moves sent:p95<5',
        'match found:rate>95%',
        'rooms open:max<50',
        'rooms open:value<10',
        'checks>99%',
        'moved:checks>=99%',
        'nope:checks>1%',
        'script_errors<1%',
      ].map(parseThreshold),
      judged,
    );
    expect(results.map((r) => [r.expr, r.actual, r.passed, r.reason])).toEqual([
      ['join room:p95<300', 250, true, undefined],
      ['join room:errors<1%', 0.02, false, undefined],
      ['join room:count>=50', 50, true, undefined],
      ['room size:p95<300', 250, true, undefined],
      [
        'room size:p95<300ms',
        null,
        false,
        '"room size" is in players, not a time: write the limit without ms or s',
      ],
      ['moves sent:count>1000', 1200, true, undefined],
      ['moves sent:rps>30', 20, false, undefined],
      ['moves sent:p95<5', null, false, '"moves sent" is a counter: its thresholds are count and rps'],
      ['match found:rate>95%', 0.96, true, undefined],
      ['rooms open:max<50', 40, true, undefined],
      ['rooms open:value<10', 12, false, undefined],
      ['checks>99%', 0.99, false, undefined],
      ['moved:checks>=99%', 1, true, undefined],
      ['nope:checks>1%', null, false, 'no data: no check labelled "nope" was counted'],
      // 2 script errors in 90 iterations and 10 setups.
      ['script_errors<1%', 0.02, false, undefined],
    ]);
  });

  it('says no data for figures of the whole run when no HTTP request, check or iteration was made', () => {
    const none = {
      ...summary,
      totals: { ...summary.totals, requests: 0, iterations: 0, peakConnected: undefined },
    };
    const results = evaluateThresholds(
      ['p95<500', 'errors<1%', 'ccu>1', 'script_errors<1%', 'checks>1%'].map(parseThreshold),
      none,
    );
    expect(results.map((r) => [r.actual, r.passed, r.reason])).toEqual([
      [null, false, 'no data: no HTTP request was made (name what to judge: e.g. join room:p95<200)'],
      [null, false, 'no data: no HTTP request was made (name what to judge: e.g. join room:p95<200)'],
      [null, false, 'no data: no socket was opened'],
      [null, false, 'no data: no setup or iteration ran'],
      [null, false, 'no data: no check was counted'],
    ]);
  });

  it("says no data for the run's latency when requests were made but none was timed", () => {
    const zero = { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
    const refused = {
      ...summary,
      totals: { ...summary.totals, requests: 50, errors: 50, errorRate: 1, rps: 5, latencyMs: zero },
    };
    const results = evaluateThresholds(
      ['p95<500', 'max<1s', 'errors<1%', 'count>10'].map(parseThreshold),
      refused,
    );
    expect(results.map((r) => [r.actual, r.passed, r.reason])).toEqual([
      [null, false, 'no data: no HTTP request was timed (every one failed without a response)'],
      [null, false, 'no data: no HTTP request was timed (every one failed without a response)'],
      [1, false, undefined],
      [50, true, undefined],
    ]);
  });

  it('parses the new metrics and abort, and refuses a name where none fits', () => {
    expect(parseThreshold('match found:rate>95%')).toMatchObject({
      endpoint: 'match found',
      metric: 'rate',
      limit: 0.95,
    });
    expect(parseThreshold('script_errors<1% abort')).toMatchObject({
      metric: 'script_errors',
      limit: 0.01,
      abort: { delaySec: 0 },
    });
    expect(parseThreshold('GET /a:p95<500 abort after 1m30s')).toMatchObject({
      endpoint: 'GET /a',
      limit: 500,
      abort: { delaySec: 90 },
    });
    expect(parseThreshold('p95<500').abort).toBeUndefined();
    expect(() => parseThreshold('p95<500 abort after soon')).toThrow(/"after soon" is not a duration/);
    expect(() => parseThreshold('GET /a:script_errors<1%')).toThrow(
      /script_errors is the whole run's: drop the name/,
    );
    expect(() => parseThreshold('rate>0.9')).toThrow(/rate needs the name of a custom rate/);
    expect(() => parseThreshold('value<3')).toThrow(/value needs the name of a custom gauge/);
    expect(() => parseThreshold('moves sent:count>10%')).toThrow(/count takes no unit/);
  });

  it('aborts on what can no longer pass, or (as k6) on what fails past its delay, never without data', () => {
    const judge = (expr: string, actual: number | null, elapsedSec: number) => {
      const t = parseThreshold(expr);
      const result = { ...evaluateThresholds([t], summary)[0]!, actual, passed: false };
      return abortsNow(t, result, elapsedSec);
    };
    expect(judge('p95<500 abort', 900, 1)).toBe(true);
    expect(judge('p95<500', 900, 1)).toBe(false);
    expect(judge('p95<500 abort after 10s', 900, 5)).toBe(false);
    expect(judge('p95<500 abort after 10s', 900, 10)).toBe(true);
    expect(judge('GET /typo:p95<500 abort', null, 30)).toBe(false);
    // Counts only grow: past a "<" limit they cannot come back; under a ">" one they still may.
    expect(judge('moves sent:count<100 abort', 120, 5)).toBe(true);
    expect(judge('moves sent:count>1000 abort', 120, 5)).toBe(false);
    expect(judge('max<2s abort', 2500, 5)).toBe(true);
    expect(judge('rooms open:min>1 abort', 0, 5)).toBe(true);
    expect(judge('rooms open:min<1 abort', 3, 5)).toBe(false);
  });
});
