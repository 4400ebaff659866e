// What every benchmark shares: the built CLI, the knobs from the environment (loadgen/README.md,
// "Benchmark"), the client's core and one scratch directory for their results.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinPrefix } from './child-process.js';

/** loadgen/bench: the targets and scenario files the benchmarks run. */
export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const cli = join(BENCH_DIR, '..', 'dist', 'cli.js');
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const USERS = Number(process.env.BENCH_USERS ?? 5000);
/** The client runs on core 0, every target on core 1 (when taskset is there). */
export const client = pinPrefix(0);
export const work = mkdtempSync(join(tmpdir(), 'loadgen-bench-'));

/** `node <cli> url <url> -c CONNECTIONS -d SECONDS -o <out>`: loadgen at full speed, its summary in `out`. */
export const loadgenUrlArgv = (url: string, out: string): string[] => [
  process.execPath,
  cli,
  'url',
  url,
  '-c',
  String(CONNECTIONS),
  '-d',
  `${SECONDS}s`,
  '-o',
  out,
];
