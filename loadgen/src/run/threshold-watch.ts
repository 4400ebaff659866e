import type { RunAggregator } from '../metrics/run-aggregator.js';
import type { RunInfo } from '../model/summary-schema.js';
import { abortsNow } from '../thresholds/abort-rule.js';
import { evaluateThresholds } from '../thresholds/threshold-evaluator.js';
import { parseThreshold } from '../thresholds/threshold-parser.js';
import { judgedSoFar } from './summary-builder.js';

/**
 * The thresholds marked `abort`, judged on the run so far each time a window completes; the
 * first that fails as abort-rule.ts says stops the run once (`stop`), which ends as an interrupt
 * does (users stop after their request in flight), but is no interrupt: the summary records the
 * threshold and when (`run.aborted`), and the exit code is 99. Nothing is watched (nor any
 * histogram read) when no threshold is marked.
 */
export function watchThresholds(
  thresholds: readonly string[],
  agg: RunAggregator,
  windowSec: number,
  stop: (aborted: NonNullable<RunInfo['aborted']>) => void,
): void {
  const marked = thresholds.map(parseThreshold).filter((t) => t.abort !== undefined);
  if (marked.length === 0) return;
  let stopped = false;
  agg.subscribe((w) => {
    if (stopped) return;
    const elapsedSec = w.t + windowSec;
    const results = evaluateThresholds(marked, judgedSoFar(agg, elapsedSec));
    const failing = marked.findIndex((t, i) =>
      abortsNow(t, results[i] as (typeof results)[number], elapsedSec),
    );
    if (failing === -1) return;
    stopped = true;
    stop({ threshold: (marked[failing] as (typeof marked)[number]).expr, atSec: elapsedSec });
  });
}
