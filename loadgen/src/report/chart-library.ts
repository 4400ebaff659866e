import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { LoadgenError } from '../errors.js';

/** The chart library's code and style, inlined so the report opens offline. */
export interface ChartAssets {
  js: string;
  css: string;
}

/** Read uPlot's minified build from node_modules (resolved from this package). */
export async function loadChartAssets(): Promise<ChartAssets> {
  const require = createRequire(import.meta.url);
  try {
    const js = require.resolve('uplot/dist/uPlot.iife.min.js');
    const css = require.resolve('uplot/dist/uPlot.min.css');
    return { js: await readFile(js, 'utf8'), css: await readFile(css, 'utf8') };
  } catch (err) {
    throw new LoadgenError(
      'LG_IO',
      `cannot read the uPlot chart library (npm ci?): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
