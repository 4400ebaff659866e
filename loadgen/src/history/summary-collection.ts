import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LoadgenError } from '../errors.js';
import { parseSummary, readSummaryJson } from '../model/summary-files.js';
import type { Summary } from '../model/summary-schema.js';

/** A summary found under the results directories, with the file it came from. */
export interface FoundRun {
  path: string;
  summary: Summary;
}

export interface CollectedRuns {
  /** One per run: a merged summary stands for its segments; oldest first. */
  runs: FoundRun[];
  /** Files left out and why: not a summary, a segment merged elsewhere or never merged, a copy. */
  skipped: string[];
  /** summary.json files read. */
  files: number;
}

/** Folders never searched: dependencies and version control, not results. */
const NOT_RESULTS = new Set(['node_modules', '.git']);

/** Every `summary.json` under `dir`, at any depth (the lab writes `<dir>/<testid>/summary.json`). */
function summaryFiles(dir: string, into: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!NOT_RESULTS.has(entry.name)) summaryFiles(path, into);
    } else if (entry.isFile() && entry.name === 'summary.json') {
      into.push(path);
    }
  }
}

/**
 * A summary as the history reads it: whole-run figures only. Its `timeSeries` (one entry per
 * second with a histogram per endpoint: most of a file's objects) is dropped before the schema
 * check; everything the history reads is validated as readSummaryFile does.
 */
function readWithoutTimeSeries(path: string): Summary {
  const raw = readSummaryJson(path);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    (raw as { timeSeries?: unknown }).timeSeries = [];
  }
  return parseSummary(raw, path);
}

const segmentKey = (s: Summary, index: number, count: number, startedAt: string) =>
  `${s.run.testid}\u0000${index}/${count}\u0000${startedAt}`;

/**
 * Every run under `dirs`, read once: the summaries of each directory's tree, where a merged
 * summary (`run.merge`) stands for the segment summaries it lists (same testid, segment and start)
 * and a segment that no merge covers is left out (a share of a run is not the run); the same run
 * found twice (the same results kept in two artefacts) counts once. Oldest first, by startedAt.
 */
export function collectRuns(dirs: readonly string[]): CollectedRuns {
  const paths: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new LoadgenError(
        'LG_USAGE',
        `no results directory ${dir}: give the directories your runs wrote to (loadgen run -o, the lab's RESULTS_DIR; default results)`,
      );
    }
    summaryFiles(dir, paths);
  }
  const skipped: string[] = [];
  const read: FoundRun[] = [];
  for (const path of paths) {
    try {
      read.push({ path, summary: readWithoutTimeSeries(path) });
    } catch (error) {
      skipped.push((error as Error).message);
    }
  }
  const mergedSegments = new Set<string>();
  for (const { summary } of read) {
    for (const p of summary.run.merge?.parts ?? []) {
      mergedSegments.add(segmentKey(summary, p.index, p.count, p.startedAt));
    }
  }
  const seen = new Map<string, string>();
  const runs: FoundRun[] = [];
  for (const found of read) {
    const { run } = found.summary;
    if (run.segment.count > 1) {
      const key = segmentKey(found.summary, run.segment.index, run.segment.count, run.startedAt);
      skipped.push(
        mergedSegments.has(key)
          ? `${found.path}: segment ${run.segment.index}/${run.segment.count} of ${run.testid}, counted in its merged summary`
          : `${found.path}: segment ${run.segment.index}/${run.segment.count} of ${run.testid}, never merged (loadgen merge its segments to count the run)`,
      );
      continue;
    }
    const identity = `${run.testid}\u0000${run.startedAt}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      skipped.push(`${found.path}: the same run as ${first} (${run.testid}), counted once`);
      continue;
    }
    seen.set(identity, found.path);
    runs.push(found);
  }
  runs.sort((a, b) => a.summary.run.startedAt.localeCompare(b.summary.run.startedAt));
  return { runs, skipped, files: paths.length };
}
