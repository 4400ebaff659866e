import type { ResolvedServerOptions } from '../api/options-schema.js';
import type { EngineConfig } from '../engine/engine-config.js';
import type { ScenarioSource } from './scenario-source.js';

export type { ResolvedModel } from '../engine/engine-config.js';

/** Everything one run needs, after the scenario file and the flags were merged and validated. */
export interface RunConfig extends EngineConfig {
  /** Where worker threads load the scenario from. */
  source: ScenarioSource;
  thresholds: string[];
  /** The call pattern the scenario declares (options.pattern); undefined = derived from the run. */
  pattern?: string;
  /** What the scenario says of the server: its fault gauge, its endpoints' costs. */
  server: ResolvedServerOptions;
  /** The data file's rows, split between the parts when the run starts. */
  data?: { file: string; rows: unknown[] };
  /**
   * `--start-at`: the wall-clock instant (epoch ms) at which this process starts its users, so
   * that segments on several machines share one clock. Undefined = as soon as it is ready.
   */
  startAtEpochMs?: number;
  /** `--tag key=value` and LOADGEN_TAGS, recorded in the summary's run.provenance.tags. */
  tags?: Record<string, string>;
}
