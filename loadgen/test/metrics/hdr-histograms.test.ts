import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  encodeHistogram,
  latencyStats,
  mergeEncoded,
  recordMicros,
} from '../../src/metrics/hdr-histograms.js';

describe('HDR histograms', () => {
  it('merged percentiles equal those of one histogram fed every value', () => {
    // A skewed, deterministic latency mix: mostly fast, a slow tail, a few 1-3 s outliers.
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = Array.from({ length: 40_000 }, () => {
      const r = rand();
      return r < 0.9 ? 200 + r * 5_000 : r < 0.999 ? 20_000 + r * 300_000 : 1_000_000 + r * 2_000_000;
    });
    const one = createHistogram();
    const parts = [createHistogram(), createHistogram(), createHistogram(), createHistogram()];
    values.forEach((v, i) => {
      recordMicros(one, v);
      recordMicros(parts[i % 4] as ReturnType<typeof createHistogram>, v);
    });
    const merged = mergeEncoded(parts.map(encodeHistogram));
    expect(merged.totalCount).toBe(values.length);
    for (const p of [50, 90, 95, 99, 99.9, 99.99, 100]) {
      expect(merged.getValueAtPercentile(p)).toBe(one.getValueAtPercentile(p));
    }
    // The encoding keeps counts per bucket, not the exact max: compare like with like.
    expect(latencyStats(merged)).toEqual(latencyStats(mergeEncoded([encodeHistogram(one)])));
    expect(Math.abs(latencyStats(merged).max - latencyStats(one).max) / latencyStats(one).max).toBeLessThan(
      0.001,
    );
  });

  it('reports milliseconds within 0.1% of the recorded microseconds', () => {
    const h = createHistogram();
    for (let ms = 1; ms <= 1000; ms++) recordMicros(h, ms * 1000);
    const s = latencyStats(h);
    expect(s.min).toBe(1);
    expect(Math.abs(s.p50 - 500) / 500).toBeLessThan(0.001);
    expect(Math.abs(s.p99 - 990) / 990).toBeLessThan(0.001);
    expect(Math.abs(s.max - 1000) / 1000).toBeLessThan(0.001);
  });
});
