import { dirname, resolve } from 'node:path';
import type { History } from '../history/history-types.js';
import { loadChartAssets } from './chart-library.js';
import { renderHistoryPage } from './history-page.js';
import { writePage } from './write-page.js';

/** Render the history page and write it to `path`; its links to the runs are relative to it. */
export async function writeHistoryPage(
  path: string,
  history: History,
): Promise<{ path: string; bytes: number }> {
  const html = renderHistoryPage(history, {
    assets: await loadChartAssets(),
    pageDir: dirname(resolve(path)),
  });
  return writePage(path, html);
}
