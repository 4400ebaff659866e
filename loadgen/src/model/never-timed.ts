import type { EndpointStats } from './summary-schema.js';

/**
 * Counted but never timed: every request failed without a response, every wait of a push type
 * failed, every measurement threw. Its latency stats are all 0, which is no data rather than 0 ms.
 * A custom trend of another unit may hold real zeros (an empty room), so it is untimed only when
 * nothing but failures without a value was counted.
 */
export function neverTimed(e: Pick<EndpointStats, 'latencyMs' | 'unit' | 'count' | 'errors'>): boolean {
  return e.latencyMs.max === 0 && (e.unit === undefined || e.count === e.errors);
}
