import type { HttpClientKind } from '../engine/http-client.js';
import type { Profile } from '../engine/profile.js';
import type { SegmentSpec } from '../engine/segment.js';
import type { Scenario } from './scenario-schema.js';

export type ResolvedModel =
  | { type: 'closed'; users: number; spawnRate: number }
  | { type: 'open'; rate: number; preAllocatedVUs: number; maxVUs: number };

/** Everything one run needs, after the scenario file and the flags were merged and validated. */
export interface RunConfig {
  scenario: Scenario;
  name: string;
  label: string;
  testid: string;
  target: string;
  model: ResolvedModel;
  profile: Profile;
  durationSec: number;
  threads: number;
  segment: SegmentSpec;
  thresholds: string[];
  timeoutSec: number;
  /** Length of one time-series window. Default 1 s. */
  windowSec: number;
  /** Seconds to let in-flight requests finish after the duration. Default 5. */
  gracefulStopSec: number;
  /** Which HTTP client the engine uses: undici (default) or loadgen's lean HTTP/1.1 client. */
  httpClient: HttpClientKind;
  /** TCP connections per part; undefined = one per virtual user. */
  connections?: number;
  /**
   * `--start-at`: the wall-clock instant (epoch ms) at which this process starts its users, so
   * that segments on several machines share one clock. Undefined = as soon as it is ready.
   */
  startAtEpochMs?: number;
}
