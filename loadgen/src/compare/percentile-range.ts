import { decodeHistogram } from '../metrics/hdr-histograms.js';
import type { PercentileRange } from './compare-rule.js';

const ms = (us: number): number => Math.round(us) / 1000;

/**
 * Percentile `q` (0..100) of an encoded HdrHistogram with its distribution-free confidence
 * interval: the rank of the q-th percentile among n requests has standard error
 * sqrt(q(1−q)/n), so the true percentile lies between the values at q ± z·SE (binomial normal
 * approximation; clamped to the smallest and largest request).
 */
export function percentileRange(encoded: string, q: number, z: number): PercentileRange {
  const h = decodeHistogram(encoded);
  try {
    const n = h.totalCount;
    if (n === 0) return { value: 0, low: 0, high: 0 };
    const p = q / 100;
    const se = Math.sqrt((p * (1 - p)) / n);
    const at = (f: number): number => ms(h.getValueAtPercentile(Math.min(100, Math.max(0, f * 100))));
    return { value: at(p), low: at(p - z * se), high: at(p + z * se) };
  } finally {
    h.destroy();
  }
}
