import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LoadgenError } from '../errors.js';
import type { Summary } from '../model/summary-schema.js';
import { loadChartAssets } from './chart-library.js';
import { type ReportOptions, renderReport } from './report-page.js';

/** Render the report of `summaries` and write it to `path` (tmp file + rename: never half a page). */
export async function writeReport(
  path: string,
  summaries: readonly Summary[],
  options: Omit<ReportOptions, 'assets'> = {},
): Promise<{ path: string; bytes: number }> {
  if (summaries.length === 0) throw new LoadgenError('LG_USAGE', 'report needs at least one summary');
  const html = renderReport(summaries, { ...options, assets: await loadChartAssets() });
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, html);
    renameSync(`${path}.tmp`, path);
  } catch (err) {
    throw new LoadgenError('LG_IO', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  return { path, bytes: Buffer.byteLength(html) };
}
