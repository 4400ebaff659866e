import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoadgenError } from '../errors.js';
import { readSummaryFile } from '../model/summary-files.js';
import type { Summary } from '../model/summary-schema.js';

interface LatestRuns {
  /** Found runs, in the order of the labels asked for. */
  runs: { label: string; path: string; summary: Summary }[];
  /** Labels with no run in the directory. */
  missing: string[];
  /** Files that were skipped, with the reason (not a valid summary). */
  skipped: string[];
}

/**
 * The newest run (by startedAt) of each scenario label among `<dir>/<testid>/summary.json`,
 * the layout `loadgen run` and the lab's `npm run baseline|stress|bottleneck` write.
 */
export function findLatestRuns(dir: string, labels: readonly string[]): LatestRuns {
  if (!existsSync(dir)) {
    throw new LoadgenError(
      'LG_USAGE',
      `no results directory ${dir}: run npm run baseline (stress, bottleneck) first`,
    );
  }
  const skipped: string[] = [];
  const newest = new Map<string, { path: string; summary: Summary }>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name, 'summary.json');
    if (!existsSync(path)) continue;
    let summary: Summary;
    try {
      summary = readSummaryFile(path);
    } catch (err) {
      skipped.push((err as Error).message);
      continue;
    }
    const label = summary.run.scenario.label;
    const current = newest.get(label);
    if (current === undefined || current.summary.run.startedAt < summary.run.startedAt) {
      newest.set(label, { path, summary });
    }
  }
  const runs = labels.flatMap((label) => {
    const found = newest.get(label);
    return found === undefined ? [] : [{ label, ...found }];
  });
  return { runs, missing: labels.filter((l) => !newest.has(l)), skipped };
}
