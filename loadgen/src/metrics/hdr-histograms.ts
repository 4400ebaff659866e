import * as hdr from 'hdr-histogram-js';
import type { LatencyStats } from '../model/summary-schema.js';

export type Histogram = hdr.Histogram;

/** 1 µs .. 1 h at 3 significant digits: every recorded latency is in microseconds. */
const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;
const DIGITS = 3;
/**
 * A custom trend of another unit than ms (players, bytes) holds thousandths of its unit, as a
 * latency holds thousandths of a ms, so every reader's figures come out in the unit; 1 h of µs
 * would cap it at 3.6 million, so it gets 2^43 (8.8e9 of the unit), 144 KB a histogram instead of
 * 95 KB (hdr-histogram-js' estimatedFootprintInBytes).
 */
const HIGHEST_WIDE = 2 ** 43;

export function createHistogram(highestTrackableValue = HIGHEST_US): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue,
    numberOfSignificantValueDigits: DIGITS,
    autoResize: false,
  });
}

/** The histogram of a series: latency (ms, or no unit) or a custom trend's other unit. */
export function createHistogramFor(unit: string | undefined): Histogram {
  return unit === undefined || unit === 'ms' ? createHistogram() : createHistogram(HIGHEST_WIDE);
}

/** Record a latency in microseconds, clamped into the trackable range. */
export function recordMicros(histogram: Histogram, micros: number): void {
  const v = micros < LOWEST_US ? LOWEST_US : micros > HIGHEST_US ? HIGHEST_US : Math.round(micros);
  histogram.recordValue(v);
}

/**
 * Record thousandths of a custom trend's unit (not ms): 0 is a value here (an empty room), unlike
 * a latency; clamped into [0, the histogram's highest].
 */
export function recordThousandths(histogram: Histogram, value: number): void {
  const max = histogram.highestTrackableValue;
  histogram.recordValue(value > 0 ? (value < max ? Math.round(value) : max) : 0);
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Re-home into our standard shape (or the wide one of another unit) so add() never resizes.
  const histogram = createHistogram(Math.max(HIGHEST_US, decoded.highestTrackableValue));
  histogram.add(decoded);
  decoded.destroy();
  return histogram;
}

/**
 * Add every encoded histogram into one: the histogram of the union, nothing lost in adding (its
 * percentiles carry HdrHistogram's 3 significant digits, as each input's do).
 */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const decoded = encoded.map(decodeHistogram);
  const total = createHistogram(Math.max(HIGHEST_US, ...decoded.map((h) => h.highestTrackableValue)));
  for (const h of decoded) {
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
    // A custom trend may hold 0 (an empty room): minNonZeroValue would skip it.
    min: histogram.getValueAtPercentile(0) === 0 ? 0 : usToMs(histogram.minNonZeroValue),
    mean: usToMs(histogram.mean),
    p50: percentileMs(histogram, 50),
    p90: percentileMs(histogram, 90),
    p95: percentileMs(histogram, 95),
    p99: percentileMs(histogram, 99),
    p999: percentileMs(histogram, 99.9),
    max: usToMs(histogram.maxValue),
  };
}
