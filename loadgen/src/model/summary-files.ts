import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatZodError } from '../api/options-schema.js';
import { LoadgenError } from '../errors.js';
import { statsCsv } from './stats-csv.js';
import { migrateSummary } from './summary-migrations.js';
import { type Summary, summarySchema } from './summary-schema.js';

/** Write summary.json and stats.csv into `dir` (atomically: tmp file + rename). */
export function writeSummaryFiles(dir: string, summary: Summary): { summaryPath: string; csvPath: string } {
  try {
    mkdirSync(dir, { recursive: true });
    const summaryPath = join(dir, 'summary.json');
    const csvPath = join(dir, 'stats.csv');
    writeFileSync(`${summaryPath}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
    renameSync(`${summaryPath}.tmp`, summaryPath);
    writeFileSync(csvPath, statsCsv(summary));
    return { summaryPath, csvPath };
  } catch (error) {
    throw new LoadgenError('LG_IO', `cannot write results to ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Validate a parsed summary.json of any schema version ever written, migrated to the current one
 * (summary-migrations.ts). `source` names it in errors.
 */
export function parseSummary(raw: unknown, source: string): Summary {
  const migrated = migrateSummary(raw);
  if (!migrated.ok) {
    throw new LoadgenError('LG_SUMMARY_INVALID', `${source}: not a loadgen summary: ${migrated.reason}`);
  }
  const parsed = summarySchema.safeParse(migrated.summary);
  if (!parsed.success) {
    const version = (raw as { schemaVersion: number }).schemaVersion;
    throw new LoadgenError(
      'LG_SUMMARY_INVALID',
      `${source}: not a loadgen summary (schemaVersion ${version}): ${formatZodError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** The parsed JSON of a summary.json, not yet validated; unreadable or not JSON: LG_SUMMARY_INVALID. */
export function readSummaryJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LoadgenError(
      'LG_SUMMARY_INVALID',
      `${path}: cannot read summary (${(error as Error).message})`,
    );
  }
}

/** Read and validate a summary.json (any consumer: merge, report, compare, capacity, history). */
export function readSummaryFile(path: string): Summary {
  return parseSummary(readSummaryJson(path), path);
}
