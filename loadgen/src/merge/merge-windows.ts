import { encodeHistogram, type Histogram, mergeEncoded, percentileMs } from '../metrics/hdr-histograms.js';
import { addWindowMetric } from '../model/custom-metric-math.js';
import type { WindowMetric } from '../model/custom-metric-schema.js';
import type { TimeWindow, WindowEndpoint, WindowSockets } from '../model/summary-schema.js';
import { groupBy } from './grouping.js';
import { mergeWindowGenerators } from './merge-generator.js';

/**
 * One time window of the merged run from the segments' windows at that time: histograms added,
 * counts and users summed, custom metrics combined by kind.
 */
export function mergeWindows(windows: TimeWindow[]): TimeWindow {
  const endpoints: Record<string, WindowEndpoint> = {};
  const byEndpoint = groupBy(
    windows.flatMap((w) => Object.entries(w.endpoints)),
    ([name]) => name,
  );
  for (const [name, list] of byEndpoint) {
    const h: Histogram = mergeEncoded(list.map(([, e]) => e.histogram));
    endpoints[name] = {
      count: list.reduce((s, [, e]) => s + e.count, 0),
      errors: list.reduce((s, [, e]) => s + e.errors, 0),
      p50: percentileMs(h, 50),
      p95: percentileMs(h, 95),
      p99: percentileMs(h, 99),
      histogram: encodeHistogram(h),
    };
    h.destroy();
  }
  const sockets = windows.flatMap((w) => (w.ws === undefined ? [] : [w.ws]));
  const ws: WindowSockets | undefined =
    sockets.length === 0
      ? undefined
      : {
          connected: sockets.reduce((s, w) => s + w.connected, 0),
          connectedPeak: sockets.reduce((s, w) => s + w.connectedPeak, 0),
          sent: sockets.reduce((s, w) => s + w.sent, 0),
          received: sockets.reduce((s, w) => s + w.received, 0),
        };
  const metrics: Record<string, WindowMetric> = {};
  for (const w of windows) {
    for (const [name, m] of Object.entries(w.metrics ?? {})) {
      const known = metrics[name];
      metrics[name] = known === undefined ? m : addWindowMetric(known, m);
    }
  }
  const generator = mergeWindowGenerators(windows);
  return {
    t: (windows[0] as TimeWindow).t,
    activeUsers: windows.reduce((s, w) => s + w.activeUsers, 0),
    ...(windows.every((w) => w.loopUsers !== undefined)
      ? { loopUsers: windows.reduce((s, w) => s + (w.loopUsers ?? 0), 0) }
      : {}),
    requests: windows.reduce((s, w) => s + w.requests, 0),
    errors: windows.reduce((s, w) => s + w.errors, 0),
    droppedIterations: windows.reduce((s, w) => s + w.droppedIterations, 0),
    endpoints,
    ...(ws === undefined ? {} : { ws }),
    ...(Object.keys(metrics).length === 0 ? {} : { metrics }),
    ...(generator === undefined ? {} : { generator }),
  };
}
