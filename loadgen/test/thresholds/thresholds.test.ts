import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/summary/summary-schema.js';
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

  it('rejects nonsense with a message that shows the syntax', () => {
    expect(() => parseThreshold('p95 is fast')).toThrow(/\[ENDPOINT:\]METRIC<VALUE/);
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
      ['GET /nope', -1, false],
    ]);
  });
});
