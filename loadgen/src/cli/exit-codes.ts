import type { LoadgenErrorCode } from '../errors.js';

/**
 * Every exit code of the loadgen CLI, in one place (README "Exit codes" mirrors this).
 * 0 ok · 1 unexpected internal error · 2 bad input (flags, scenario, summary files, a refused merge) ·
 * 3 target unreachable · 4 cannot write results · 98 `history --fail-on regression` found a
 * recent regression · 99 a threshold failed · 130 interrupted.
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  unreachable: 3,
  io: 4,
  regression: 98,
  thresholds: 99,
  interrupted: 130,
} as const;

export const EXIT_BY_CODE: Record<LoadgenErrorCode, number> = {
  LG_USAGE: EXIT.usage,
  LG_SCENARIO_INVALID: EXIT.usage,
  LG_SUMMARY_INVALID: EXIT.usage,
  LG_MERGE_REFUSED: EXIT.usage,
  LG_TARGET_UNREACHABLE: EXIT.unreachable,
  LG_IO: EXIT.io,
};

/**
 * Interrupted beats a threshold failure: a cut-short run's percentiles prove nothing. A run a
 * threshold stopped (`abort`) failed, whatever the figures say after the stop.
 */
export function exitCodeFor(summary: {
  run: { interrupted: boolean; aborted?: unknown };
  thresholds: { passed: boolean }[];
}): number {
  if (summary.run.interrupted) return EXIT.interrupted;
  if (summary.run.aborted !== undefined) return EXIT.thresholds;
  return summary.thresholds.some((t) => !t.passed) ? EXIT.thresholds : EXIT.ok;
}
