import * as hdr from 'hdr-histogram-js';
import type { LatencyStats } from '../model/summary-schema.js';

export type Histogram = hdr.Histogram;

/** 1 µs .. 1 h at 3 significant digits: every recorded latency is in microseconds. */
const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;
const DIGITS = 3;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: DIGITS,
    autoResize: false,
  });
}

/** Record a latency in microseconds, clamped into the trackable range. */
export function recordMicros(histogram: Histogram, micros: number): void {
  const v = micros < LOWEST_US ? LOWEST_US : micros > HIGHEST_US ? HIGHEST_US : Math.round(micros);
  histogram.recordValue(v);
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Re-home into our standard shape so add() never needs to resize across different ranges.
  const histogram = createHistogram();
  histogram.add(decoded);
  decoded.destroy();
  return histogram;
}

/**
 * Add every encoded histogram into one: the histogram of the union, nothing lost in adding (its
 * percentiles carry HdrHistogram's 3 significant digits, as each input's do).
 */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = createHistogram();
  for (const e of encoded) {
    const h = decodeHistogram(e);
    total.add(h);
    h.destroy();
  }
  return total;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const usToMs = (us: number): number => round3(us / 1000);

export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? 0 : usToMs(histogram.getValueAtPercentile(percentile));
}

export function latencyStats(histogram: Histogram): LatencyStats {
  if (histogram.totalCount === 0) {
    return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
  return {
    min: usToMs(histogram.minNonZeroValue),
    mean: usToMs(histogram.mean),
    p50: percentileMs(histogram, 50),
    p90: percentileMs(histogram, 90),
    p95: percentileMs(histogram, 95),
    p99: percentileMs(histogram, 99),
    p999: percentileMs(histogram, 99.9),
    max: usToMs(histogram.maxValue),
  };
}
