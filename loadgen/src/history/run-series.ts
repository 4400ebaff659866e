import { callPatternGroups } from '../model/call-pattern.js';
import type { Summary } from '../model/summary-schema.js';
import type { HistoryRun } from './history-types.js';
import type { FoundRun } from './summary-collection.js';

/** A series before its figures are read: comparable runs, oldest first, with their summaries. */
export interface RunSeries {
  id: string;
  pattern: string;
  model: 'closed' | 'open';
  runs: FoundRun[];
}

export interface SeriesSelection {
  /** Only runs that started at or after this instant. */
  since?: Date;
  /** Only the last N runs of each series. */
  last?: number;
}

/**
 * Runs grouped into series of comparable runs: the same call pattern (the rule of
 * model/call-pattern.ts, which the report colours by) under the same load model (closed or open:
 * latency under a fixed arrival rate and under a fixed number of users are different quantities).
 * The fault, the tags, the testid and the number of users do not matter, so a nightly baseline and
 * a bottleneck run of the same shape sit in one series. `runs` must be oldest first; series come
 * out by their first run.
 */
export function groupSeries(runs: readonly FoundRun[], selection: SeriesSelection = {}): RunSeries[] {
  const since = selection.since?.toISOString();
  const kept = since === undefined ? runs : runs.filter((r) => r.summary.run.startedAt >= since);
  // Grouped over every kept run at once: a derived pattern joins a declared name seen anywhere.
  const patterns = callPatternGroups(kept.map((r) => r.summary));
  const series = new Map<string, RunSeries>();
  kept.forEach((found, i) => {
    const pattern = patterns[i] as string;
    const model = found.summary.run.model.type;
    const id = `${pattern} · ${model}`;
    const s = series.get(id) ?? { id, pattern, model, runs: [] };
    s.runs.push(found);
    series.set(id, s);
  });
  const out = [...series.values()];
  if (selection.last !== undefined) {
    const last = selection.last;
    for (const s of out) s.runs = s.runs.slice(-last);
  }
  return out;
}

/** What the history shows of a run. */
export function historyRun({ path, summary }: { path: string; summary: Summary }): HistoryRun {
  const { run } = summary;
  return {
    testid: run.testid,
    startedAt: run.startedAt,
    path,
    label: run.scenario.label,
    fault: run.fault,
    ...(run.provenance === undefined ? {} : { provenance: run.provenance }),
    thresholds: summary.thresholds.map((t) => ({ expr: t.expr, passed: t.passed, actual: t.actual })),
    parts: run.parts,
  };
}
