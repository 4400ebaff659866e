import type { ThresholdResult } from '../model/summary-schema.js';
import type { Threshold } from './threshold-parser.js';

/** Figures that only grow as a run goes on: counts, and the most (of a latency, a gauge, sockets). */
const ONLY_GROW = new Set(['count', 'dropped', 'ccu', 'max']);

/**
 * Whether a threshold marked `abort` should stop the run now, judged on the run so far:
 * - without data yet (an endpoint not called so far), never: the end judges it;
 * - a figure that only grows (count, dropped, ccu, max) failing `<` can no longer pass, so it
 *   stops the run; failing `>` it may still pass, so it does not; `min` the other way round;
 * - anything else (a percentile, a ratio, a rate, a gauge's value) may go either way, so, as
 *   k6's abortOnFail does, failing once its `after` delay is over stops the run.
 */
export function abortsNow(t: Threshold, result: ThresholdResult, elapsedSec: number): boolean {
  if (t.abort === undefined || elapsedSec < t.abort.delaySec) return false;
  if (result.passed || result.actual === null) return false;
  const below = t.op === '<' || t.op === '<=';
  if (ONLY_GROW.has(t.metric)) return below;
  if (t.metric === 'min') return !below;
  return true;
}
