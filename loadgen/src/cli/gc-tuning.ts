import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full GC before it marks
 * again. V8 picks that factor itself; its heap controller allows up to 4x with a large heap
 * limit (a machine with much RAM, as this 24 GB one), so a run's peak RSS depends on the machine.
 * A load generator's garbage is medium-lived: a thinking user's timer, promise and suspended
 * iteration outlive two scavenges and are promoted, then die in the old generation. 5,000
 * scripted players' heap grew from 31 MB to 130 MB between two full GCs on 41 MB live; 10,000
 * mostly idle sockets peaked at 390-450 MB RSS on 93 MB live. At 1.3x the old generation stays
 * near its live size and the extra incremental marks cost some CPU (loadgen/README.md,
 * "Benchmark": `BENCH_ONLY=game-memory` and `ws` measure it).
 */
const HEAP_GROWING_PERCENT = 30;

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
