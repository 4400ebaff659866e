import { describe, expect, it } from 'vitest';
import { csvColumn } from '../../src/history/history-csv.js';
import { figureLabel, worseWay } from '../../src/history/history-metrics.js';
import { metricHistories } from '../../src/history/metric-history.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { levelSummary } from './helpers/history-runs.js';

/** Three runs with an HTTP endpoint, a custom trend in ms, one in players and a wait never timed. */
function runs(): { path: string; summary: Summary }[] {
  return [0, 1, 2].map((day) => {
    const summary = levelSummary({
      testid: `t-${day}`,
      day,
      endpoints: { 'GET /a': 10, 'join time': 20, 'room size': 5, 'ws never': 1 },
    });
    for (const e of summary.endpoints) {
      if (e.endpoint === 'join time') e.kind = 'custom';
      if (e.endpoint === 'room size') Object.assign(e, { kind: 'custom', unit: 'players' });
      if (e.endpoint === 'ws never') {
        const zero = { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
        Object.assign(e, { kind: 'ws', errors: e.count, latencyMs: zero });
      }
    }
    return { path: `/runs/t-${day}/summary.json`, summary };
  });
}

describe('history of custom trends', () => {
  it('follows ms trends as latency, names other units, and leaves out what was never timed', () => {
    const { metrics } = metricHistories({ id: 's', pattern: 'p', model: 'closed', runs: runs() });
    const of = (endpoint: string) => metrics.filter((m) => m.endpoint === endpoint);

    // A wait never timed has its error ratio and rate, but no percentile series of zeros.
    expect(of('ws never').map((m) => m.metric)).toEqual(['errorRatio', 'rps']);

    const join = of('join time').find((m) => m.metric === 'p95');
    expect(join).toMatchObject({ kind: 'custom', unit: 'ms' });
    expect(join?.valueUnit).toBeUndefined();
    expect(worseWay('p95', 'custom', 'closed', join?.valueUnit)).toBe('up');

    const size = of('room size').find((m) => m.metric === 'p95');
    expect(size).toMatchObject({ unit: 'value', valueUnit: 'players' });
    expect(size?.values.every((v) => v !== null && v > 4 && v < 6)).toBe(true);
    expect(figureLabel(size as NonNullable<typeof size>)).toBe('p95 players');
    expect(csvColumn(size as NonNullable<typeof size>)).toBe('room size p95_players');
    // A room's size is neither better up nor down.
    expect(worseWay('p95', 'custom', 'closed', 'players')).toBeUndefined();
    // Its error ratio is still a ratio.
    expect(of('room size').find((m) => m.metric === 'errorRatio')?.unit).toBe('ratio');
  });
});
