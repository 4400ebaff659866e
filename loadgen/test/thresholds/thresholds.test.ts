import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { evaluateThresholds } from '../../src/thresholds/threshold-evaluator.js';
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
});
