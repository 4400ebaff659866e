import type { MetricDeclarations } from '../api/metrics-options.js';
import type { HttpClientKind } from '../model/http-client-kind.js';
import type { Profile } from './profile.js';
import type { SegmentSpec } from './segment.js';
import type { TlsOptions } from './tls-options.js';

/** How the users' requests treat HTTP: the scenario's `http` options and the TLS flags. */
export interface EngineHttpOptions {
  /** Requests ask for compressed responses and decode them, unless a request says otherwise. */
  decompress: boolean;
  /** Redirects a request follows, unless it says otherwise (0: none). */
  redirects: number;
  /** Extra trust for https:// and wss:// (`--ca`, `--insecure`); undefined: Node's defaults. */
  tls?: TlsOptions;
}

export type ResolvedModel =
  | { type: 'closed'; users: number; spawnRate: number }
  | { type: 'open'; rate: number; preAllocatedVUs: number; maxVUs: number };

/** What the engine needs of a run: the load's shape and the target, nothing of what users do. */
export interface EngineConfig {
  name: string;
  label: string;
  testid: string;
  target: string;
  model: ResolvedModel;
  profile: Profile;
  durationSec: number;
  threads: number;
  segment: SegmentSpec;
  timeoutSec: number;
  /** Length of one time-series window. Default 1 s. */
  windowSec: number;
  /** Seconds to let in-flight requests finish after the duration. Default 5. */
  gracefulStopSec: number;
  /** Which HTTP client the engine uses (resolveRun's default: lean for http://, undici for https://). */
  httpClient: HttpClientKind;
  /** TCP connections per part; undefined = one per virtual user. */
  connections?: number;
  /** The scenario's declared custom metrics (options.metrics). */
  metrics?: MetricDeclarations;
  http: EngineHttpOptions;
  /**
   * Sample each thread's health (event-loop delay, busy share, CPU, RSS) every window. Default
   * true; off only to measure what the sampling costs (LOADGEN_HEALTH=off, the `health` benchmark).
   */
  sampleHealth?: boolean;
}
