import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full GC before it marks
 * again (V8 picks up to 4x on its own). A load generator's garbage is medium-lived: a sleeping
 * user's timer, promise and suspended iteration outlive two scavenges and are promoted, then die
 * in the old generation. With V8's default the heap of 5,000 scripted players grew from 31 MB to
 * 130 MB between two full GCs; at 1.3x it stays near 110 MB and the extra incremental marks cost
 * a few ms a second (`BENCH_ONLY=game npm run bench -w loadgen` measures both ways).
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Sets the growth factor for this process and its worker threads (V8 flags are process-wide, and
 * this one is read at every full GC), unless the user chose one in the node flags.
 */
export function tuneHeapGrowth(execArgv: readonly string[], nodeOptions = ''): boolean {
  if (
    execArgv.some((a) => a.includes('heap-growing-percent')) ||
    nodeOptions.includes('heap-growing-percent')
  ) {
    return false;
  }
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
