import type { FaultInfo, Provenance } from '../model/summary-schema.js';
import type { MetricId, MetricUnit } from './history-metrics.js';

/**
 * The shapes `loadgen history` builds and prints (`--json` prints a `History` as it is): series of
 * comparable runs, their figures per endpoint over time and the change points found in them.
 */

/** One run of a series, as the history shows it. */
export interface HistoryRun {
  testid: string;
  startedAt: string;
  /** The summary.json it was read from. */
  path: string;
  label: string;
  fault: FaultInfo | null;
  provenance?: Provenance;
  /** The summary's threshold verdicts (actual null: no data). */
  thresholds: { expr: string; passed: boolean; actual: number | null }[];
  /** How many summaries were merged into it (1: a plain run). */
  parts: number;
}

export type ChangeVerdict = 'regression' | 'improvement' | 'change';

export interface HistoryChangePoint {
  series: string;
  endpoint: string;
  metric: MetricId;
  /** A custom trend's unit when it is not ms (its percentiles are in it). */
  valueUnit?: string;
  /** Index, in the series' runs, of the first run after the change. */
  runIndex: number;
  /** That run: its testid (what `--accept` takes), start and provenance. */
  testid: string;
  startedAt: string;
  provenance?: Provenance;
  meanBefore: number;
  meanAfter: number;
  /** meanAfter / meanBefore − 1; null when meanBefore is 0. */
  relativeChange: number | null;
  pValue: number;
  /** Worse (regression), better (improvement), or a figure with no known better way (change). */
  verdict: ChangeVerdict;
  /** Runs with this figure from the change on, its first run included. */
  runsSince: number;
  accepted: boolean;
  /** A regression `--fail-on regression` fails on: recent, held, not accepted, on a gated figure. */
  failing: boolean;
}

/** One figure of one endpoint over a series' runs. */
export interface MetricHistory {
  endpoint: string;
  /** `http`, `ws`, or another kind a summary names (custom metrics). */
  kind: string;
  metric: MetricId;
  unit: MetricUnit;
  /** With unit `value`: the custom trend's unit (`players`, `bytes`...). */
  valueUnit?: string;
  /** One per run of the series (same order); null where that run has no such figure. */
  values: (number | null)[];
  changePoints: HistoryChangePoint[];
}

export interface HistorySeries {
  /** `<call pattern> · <closed|open>`. */
  id: string;
  /** The call pattern group (model/call-pattern.ts, callPatternGroups). */
  pattern: string;
  model: 'closed' | 'open';
  /** Oldest first. */
  runs: HistoryRun[];
  /** Endpoints in name order, each with its figures in METRICS order. */
  metrics: MetricHistory[];
  /** What the reader should know: runs an endpoint is missing from (left out of its figures). */
  notes: string[];
}

/** The settings the change points were found with, printed with them. */
export interface HistorySettings {
  maxPValue: number;
  minRelativeChange: number;
  /** Absolute floors per unit. */
  minAbsoluteChange: Record<MetricUnit, number>;
  /** A regression fails when it starts within this many last runs of its series... */
  failWithin: number;
  /** ...and has held for at least this many runs. */
  holdRuns: number;
  /** The figures `--fail-on regression` judges (`--gate`). */
  gate: MetricId[];
  since?: string;
  last?: number;
}

export interface History {
  generatedAt: string;
  dirs: string[];
  settings: HistorySettings;
  series: HistorySeries[];
  /** Every change point of every series, newest first. */
  changePoints: HistoryChangePoint[];
  /** The change points that make `--fail-on regression` fail. */
  failing: HistoryChangePoint[];
  /** Files read, and the ones left out with the reason. */
  files: number;
  skipped: string[];
}
