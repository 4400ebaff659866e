import type { SocketStats, Summary, TimeWindow } from '../model/summary-schema.js';
import { groupBy, sumRecords } from './grouping.js';

/** Adds an optional count: absent when every input lacks it (files older than the field). */
const sumOptional = <T>(list: readonly T[], get: (x: T) => number | undefined): number | undefined =>
  list.some((x) => get(x) !== undefined) ? list.reduce((s, x) => s + (get(x) ?? 0), 0) : undefined;

/** Message counts and closes added up by type (and protocol) and code. */
export function mergeSocketStats(list: SocketStats[]): SocketStats | undefined {
  if (list.length === 0) return undefined;
  const byType = groupBy(
    list.flatMap((s) => s.messages),
    (m) => `${m.protocol ?? ''} ${m.type}`,
  );
  const merged: SocketStats = {
    connects: list.reduce((s, x) => s + x.connects, 0),
    messages: [...byType.values()]
      .sort(
        (a, b) =>
          (a[0]?.type ?? '').localeCompare(b[0]?.type ?? '') || (a[0]?.protocol === undefined ? -1 : 1),
      )
      .map((ms) => {
        const first = ms[0] as SocketStats['messages'][number];
        const sentBytes = sumOptional(ms, (m) => m.sentBytes);
        const receivedBytes = sumOptional(ms, (m) => m.receivedBytes);
        return {
          type: first.type,
          ...(first.protocol === undefined ? {} : { protocol: first.protocol }),
          sent: ms.reduce((s, m) => s + m.sent, 0),
          received: ms.reduce((s, m) => s + m.received, 0),
          dropped: ms.reduce((s, m) => s + m.dropped, 0),
          ...(sentBytes === undefined ? {} : { sentBytes }),
          ...(receivedBytes === undefined ? {} : { receivedBytes }),
        };
      }),
    closeCodes: sumRecords(list.map((s) => s.closeCodes)),
  };
  const reconnects = sumOptional(list, (s) => s.reconnects);
  if (reconnects !== undefined) merged.reconnects = reconnects;
  const wireSent = sumOptional(list, (s) => s.wireBytes?.sent);
  if (wireSent !== undefined) {
    merged.wireBytes = { sent: wireSent, received: sumOptional(list, (s) => s.wireBytes?.received) ?? 0 };
  }
  return merged;
}

/**
 * The merged run's peak of connected sockets: the highest merged window (each window's segments
 * added), not the sum of the segments' peaks, which may have fallen at different times. Inputs
 * without windows carrying sockets fall back to that sum, an upper bound.
 */
export function mergedPeakConnected(summaries: Summary[], timeSeries: TimeWindow[]): number | undefined {
  const peaks = summaries.flatMap((s) =>
    s.totals.peakConnected === undefined ? [] : [s.totals.peakConnected],
  );
  if (peaks.length === 0) return undefined;
  const windows = timeSeries.flatMap((w) => (w.ws === undefined ? [] : [w.ws.connectedPeak]));
  return windows.length > 0 ? Math.max(...windows) : peaks.reduce((s, p) => s + p, 0);
}
