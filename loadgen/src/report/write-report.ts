import { LoadgenError } from '../errors.js';
import type { Summary } from '../model/summary-schema.js';
import { loadChartAssets } from './chart-library.js';
import { type ReportOptions, renderReport } from './report-page.js';
import { writePage } from './write-page.js';

/** Render the report of `summaries` and write it to `path` (tmp file + rename: never half a page). */
export async function writeReport(
  path: string,
  summaries: readonly Summary[],
  options: Omit<ReportOptions, 'assets'> = {},
): Promise<{ path: string; bytes: number }> {
  if (summaries.length === 0) throw new LoadgenError('LG_USAGE', 'report needs at least one summary');
  const html = renderReport(summaries, { ...options, assets: await loadChartAssets() });
  return writePage(path, html);
}
