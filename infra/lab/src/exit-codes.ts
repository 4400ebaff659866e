/**
 * Every exit code of `lab`, in one table (docs/lab.md "Exit codes" mirrors it). `lab run` passes
 * loadgen's own exit code through, so the lab's codes never reuse one of loadgen's numbers for
 * another meaning (loadgen/src/cli/exit-codes.ts; test/exit-codes.test.ts checks both tables):
 * a script that sees 3 knows the target was unreachable, whichever of the two said so.
 */
export const LAB_EXIT = {
  ok: 0,
  /** A bug: the message has the stack (loadgen: the same). */
  internal: 1,
  /** Bad input: a flag, a variable, a state file (loadgen: a flag, scenario or summary). */
  badInput: 2,
  /** The target did not answer (loadgen: before the ramp; lab: the fault toggle's API). */
  targetUnreachable: 3,
  /** loadgen only: it could not write its results directory. */
  resultsNotWritable: 4,
  /** `lab local status`: no local lab, or one of its processes is not running. */
  notRunning: 5,
  /** A tool the lab needs is missing (mariadb, redis-server, prometheus, a build). */
  toolMissing: 6,
  /** The fault toggle could not be read or set. */
  faultToggleFailed: 7,
  /** loadgen could not be started. */
  runFailed: 8,
  /** A lab service did not start (the message has the tail of its log). */
  startFailed: 9,
  /** `lab check-dashboards`: a dashboard query failed or had no data for a run. */
  dashboardsWithoutData: 10,
  /** loadgen only: `loadgen history --fail-on regression` found a regression in the last runs. */
  historyRegression: 98,
  /** loadgen only: the run completed and a threshold failed. */
  thresholdFailed: 99,
  /** Interrupted (SIGINT/SIGTERM); a run's summary is still written. */
  interrupted: 130,
} as const;
