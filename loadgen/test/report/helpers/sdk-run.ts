import { makeSummary } from './summary-factory.js';

/** A game driven through its SDK: joins and moves timed by the script, a room size, moves counted. */
export function sdkRun(testid: string, joinMs: number, moves: number) {
  return makeSummary({
    testid,
    seconds: 10,
    users: () => 10,
    metrics: { 'room size': { type: 'trend', unit: 'players' } },
    endpoints: {
      'join room': { perSecond: () => 20, latencyMs: (_t, i) => joinMs + (i % 5), custom: true },
      'move round trip': { perSecond: () => 50, latencyMs: (_t, i) => 4 + (i % 3), custom: true },
      'room size': { perSecond: () => 20, latencyMs: (_t, i) => 2 + (i % 3), custom: true },
    },
    counters: { 'moves sent': () => moves },
  });
}
