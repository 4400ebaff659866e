/** One benchmark of bench/benchmarks/: bench/run.ts runs it by its name. */
export interface Benchmark {
  /** What picks it: `npm run bench -w loadgen -- <name>` (or BENCH_ONLY=<name>). */
  name: string;
  /** One line for the list the runner prints. */
  about: string;
  run(): Promise<void>;
}
