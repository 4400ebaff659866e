import { readFileSync } from 'node:fs';
import { extname, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { PartShare } from '../engine/segment.js';
import { LoadgenError } from '../errors.js';

/**
 * The rows of a scenario's data file, read and parsed once per process. A CSV needs a header
 * line (its names become the row's keys, values stay strings); a JSON file holds an array.
 */
export function loadRows(file: string, format?: 'csv' | 'json'): unknown[] {
  const shown = relative(process.cwd(), file) || file;
  const kind = format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LoadgenError('LG_SCENARIO_INVALID', `data file ${shown}: ${(error as Error).message}`);
  }
  let rows: unknown;
  try {
    rows =
      kind === 'json'
        ? JSON.parse(text)
        : parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `data file ${shown}: not valid ${kind.toUpperCase()} (${(error as Error).message})`,
    );
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `data file ${shown}: needs at least one row (a ${kind === 'json' ? 'non-empty JSON array' : 'CSV line after the header'})`,
    );
  }
  return rows;
}

/**
 * The rows one part owns: row k belongs to the part whose share holds index k (k % stride ===
 * offset), so no two threads or segments use the same row. Its users take them in turn.
 */
export function rowsOfPart(rows: readonly unknown[], share: PartShare, source: string): unknown[] {
  const mine: unknown[] = [];
  for (let k = share.offset; k < rows.length; k += share.stride) mine.push(rows[k]);
  if (mine.length === 0) {
    throw new LoadgenError(
      'LG_USAGE',
      `data file ${source}: ${rows.length} rows cannot give every one of the ${share.stride} parts (segments x threads) a row of its own; give it at least ${share.stride} rows, or run fewer threads or segments`,
    );
  }
  return mine;
}
