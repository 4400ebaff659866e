import { describe, expect, it } from 'vitest';
import { compareSummaries } from '../../src/compare/compare-summaries.js';
import { formatComparison } from '../../src/terminal/format-comparison.js';
import { sdkRun } from '../report/helpers/sdk-run.js';

describe('compare with custom measurements', () => {
  it('judges custom trends in ms as endpoints, shows one of another unit and the counters unjudged', () => {
    const c = compareSummaries(sdkRun('before', 20, 50), sdkRun('after', 120, 60));
    const byName = Object.fromEntries(c.endpoints.map((e) => [e.endpoint, e]));
    expect(byName['join room']?.verdict).toBe('regressed');
    expect(byName['move round trip']?.verdict).toBe('unchanged');
    // Whether more players in a room is worse is the script's to say (its thresholds do).
    expect(byName['room size']).toMatchObject({ verdict: 'not judged', unit: 'players' });
    expect(c.regressed).toEqual(['join room']);
    expect(c.metrics).toEqual([
      {
        name: 'moves sent',
        type: 'counter',
        base: { name: 'moves sent', type: 'counter', count: 500, rps: 50 },
        candidate: { name: 'moves sent', type: 'counter', count: 600, rps: 60 },
      },
    ]);
    const text = formatComparison(c);
    expect(text).toMatch(/^join room\s+REGRESSED\s+200\/200\s+22(\.\d)? → 122(\.\d)? /m);
    expect(text).toMatch(/^room size \(players\)\s+not judged/m);
    expect(text).toMatch(/^moves sent\s+counter\s+500 \(50\/s\)\s+600 \(60\/s\)$/m);
    expect(text).toMatch(/^Regressed \(1\):\n {2}join room: p50 \+100 ms/m);
  });
});
