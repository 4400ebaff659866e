// HdrHistograms and the aggregator's figures in the shapes prom-client serves: histogram buckets
// (seconds), summary quantiles, and metrics computed at scrape time.
import type { Histogram } from './hdr-histograms.js';

/** The OpenTelemetry HTTP duration buckets, as game-api uses, so both sides line up. */
const BUCKETS_SEC = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Sockets: the same, with 1 and 2.5 ms below, where a push's delay on a local network lies. */
export const WS_BUCKETS_SEC = [0.001, 0.0025, ...BUCKETS_SEC];

export interface Value {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** A metric computed at scrape time from the aggregator (prom-client's custom-metric shape). */
export function customMetric(
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram' | 'summary',
  values: () => Value[],
) {
  return {
    name,
    help,
    type,
    get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }),
  };
}

export function bucketValues(
  h: Histogram,
  labels: Record<string, string>,
  name: string,
  buckets: readonly number[] = BUCKETS_SEC,
): Value[] {
  const counts = new Array<number>(buckets.length).fill(0);
  const it = (
    h as unknown as {
      recordedValuesIterator: {
        reset(): void;
        hasNext(): boolean;
        next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
      };
    }
  ).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    const sec = v.valueIteratedTo / 1e6;
    const i = buckets.findIndex((le) => sec <= le);
    if (i >= 0) counts[i] = (counts[i] as number) + v.countAtValueIteratedTo;
  }
  const out: Value[] = [];
  let cumulative = 0;
  buckets.forEach((le, i) => {
    cumulative += counts[i] as number;
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
  });
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.totalCount });
  out.push({ metricName: `${name}_sum`, labels, value: (h.mean * h.totalCount) / 1e6 });
  out.push({ metricName: `${name}_count`, labels, value: h.totalCount });
  return out;
}

/** A trend of another unit than ms has no buckets one could choose ahead: its quantiles, as a summary. */
const QUANTILES = [0.5, 0.9, 0.95, 0.99];
export function quantileValues(h: Histogram, labels: Record<string, string>, name: string): Value[] {
  // The histogram holds thousandths of the unit.
  const out: Value[] = QUANTILES.map((quantile) => ({
    labels: { ...labels, quantile },
    value: h.totalCount === 0 ? 0 : h.getValueAtPercentile(quantile * 100) / 1000,
  }));
  out.push({ metricName: `${name}_sum`, labels, value: (h.mean * h.totalCount) / 1000 });
  out.push({ metricName: `${name}_count`, labels, value: h.totalCount });
  return out;
}
