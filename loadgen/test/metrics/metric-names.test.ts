import { describe, expect, it } from 'vitest';
import { MAX_CUSTOM_NAMES, MetricNames } from '../../src/metrics/metric-names.js';
import { MAX_TAG_SETS, MetricTags } from '../../src/metrics/metric-tags.js';

describe('custom names and their tag sets', () => {
  it("counts the script's names against the cap, not the series of its tag sets", () => {
    const names = new MetricNames({ 'per player': { type: 'counter', tags: ['player'] } });
    const tags = new MetricTags(names);
    const series = new Set<string>();
    for (let p = 0; p < MAX_TAG_SETS + 30; p++) {
      const s = tags.seriesOf('per player', { player: `p${p}` }) as string;
      names.claim(s, 'counter');
      series.add(s);
    }
    // 50 sets kept apart, every later one in the one (other) series.
    expect(series.size).toBe(MAX_TAG_SETS + 1);
    expect(tags.seriesOf('per player', { player: 'late' })).toBe('per player{player=(other)}');

    for (let i = 0; i < MAX_CUSTOM_NAMES; i++) names.claim(`name ${i}`, 'counter');
    expect(() => names.claim('one too many', 'counter')).toThrow(
      `"one too many": more than ${MAX_CUSTOM_NAMES} custom metric names`,
    );
  });
});
