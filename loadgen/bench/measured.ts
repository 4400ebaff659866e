import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Requests per second, and client CPU microseconds per request (robust to a busy machine). */
export type Measured = { rps: number; cpuUsPerReq: number | undefined };

export const measured = (requests: number, seconds: number, cpuSec: number | undefined): Measured => ({
  rps: requests / seconds,
  cpuUsPerReq: cpuSec === undefined ? undefined : (cpuSec * 1e6) / requests,
});

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** What a `loadgen url|run -o <out>` measured: its requests over its elapsed time, and the CPU it took. */
export function measuredRun(
  out: string,
  cpuSec: number | undefined,
): Measured & { summary: Record<string, unknown> } {
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
    totals: { requests: number };
    run: { elapsedSec: number };
  };
  return { ...measured(summary.totals.requests, summary.run.elapsedSec, cpuSec), summary };
}
