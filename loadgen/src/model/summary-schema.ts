import { z } from 'zod';
import { endpointCostsSchema, resourceSchema } from '../api/resources-schema.js';
import { customMetricSchema, windowMetricSchema } from './custom-metric-schema.js';
import { generatorSummarySchema, windowGeneratorSchema } from './generator-schema.js';
import { HTTP_CLIENT_KINDS } from './http-client-kind.js';
import { steeringChangeSchema } from './timeline-schema.js';

/**
 * The versioned contract of `summary.json`. The report, compare and capacity commands read it,
 * and `loadgen merge` writes it, so every change that a reader of older files could not take
 * (a new required field, a renamed or retyped one) bumps SUMMARY_SCHEMA_VERSION and adds a step
 * to summary-migrations.ts that lifts the previous version to it; a new optional field, which
 * old files simply lack, does not. Readers accept every version ever written: they migrate on read.
 * Versions: 1 (loadgen 0.1.0); 2 makes `run.httpClient` required (v1 files without it ran undici).
 * Sockets (`vu.ws`) added only optional fields to version 2: `endpoints[].kind`, `timeSeries[].ws`,
 * `totals.peakConnected` and `ws`.
 * 3 (this landing's version): what each change of it adds is listed at its step in
 * summary-migrations.ts.
 * Times are in milliseconds unless the field name says otherwise; histograms are HdrHistograms of
 * microseconds (1 µs .. 1 h, 3 significant digits) encoded with hdr-histogram-js
 * `encodeIntoCompressedBase64`, so any two of them can be added exactly.
 */
export const SUMMARY_SCHEMA_VERSION = 3;

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

const latencyStatsSchema = z.object({
  min: ms,
  mean: ms,
  p50: ms,
  p90: ms,
  p95: ms,
  p99: ms,
  p999: ms,
  max: ms,
});
export type LatencyStats = z.infer<typeof latencyStatsSchema>;

/** Response status code (e.g. "200") or "0" when no response arrived. */
const statusCountsSchema = z.record(z.string(), count);

const endpointStatsSchema = z.object({
  /** `METHOD /route/template`, the same form as game-api's `http_route` label. */
  endpoint: z.string().min(1),
  count,
  errors: count,
  /** Response body bytes received, as they came over the wire (compressed, when they were). */
  bytes: count,
  /**
   * Body bytes after decoding gzip, deflate or br, summed over the responses of requests that
   * asked to `decompress` (a body that was not encoded counts as it came). Absent when none asked.
   */
  decodedBytes: count.optional(),
  statusCounts: statusCountsSchema,
  /** All 0 when nothing was timed (every request failed without a response): no data, not 0 ms. */
  latencyMs: latencyStatsSchema,
  /** count / measured duration in seconds. */
  rps: z.number().nonnegative(),
  histogram: z.string(),
  /** Called from the users' setup (log in, register...), not only from their loop. */
  setup: z.boolean().optional(),
  /**
   * `ws`: a socket figure, not a request: `ws connect` (handshakes), `ws <type>` (request→reply
   * time of `socket.request`, or push delay now - ts of received messages). Its failures
   * (`ws_timeout`, `ws_closed`, a refused handshake) are counted in `errors`; only a timeout keeps
   * a latency sample (the time it waited): a `request()`'s `ws_timeout`, a handshake's `timeout`.
   * `custom`: a trend the script measured (`vu.time`, `vu.record`): `count` samples and failures,
   * `errors` the failures (a failure keeps a sample only when it is a timeout or `vu.record` gave
   * a value), no bytes or statuses.
   * Absent: an HTTP endpoint. Totals and the windows' requests cover HTTP endpoints only.
   */
  kind: z.enum(['ws', 'custom']).optional(),
  /**
   * A custom trend's unit when it is not ms (`count`, `bytes`...): `latencyMs` and the histogram
   * then hold that unit (the histogram its thousandths), not milliseconds.
   */
  unit: z.string().optional(),
});
export type EndpointStats = z.infer<typeof endpointStatsSchema>;

const windowEndpointSchema = z.object({
  count,
  errors: count,
  p50: ms,
  p95: ms,
  p99: ms,
  /** Encoded histogram of this window, so merged windows keep their percentiles (3 significant digits). */
  histogram: z.string(),
});
export type WindowEndpoint = z.infer<typeof windowEndpointSchema>;

/** A window's sockets, summed over threads (and segments, in a merged summary). */
const windowSocketsSchema = z.object({
  /** Sockets open at the window's end (CCU). */
  connected: count,
  /**
   * The most sockets open at once during the window: each thread's own peak, summed (exact with
   * one thread; an upper bound with several, whose peaks may fall at different instants).
   */
  connectedPeak: count,
  /** Messages sent and received in the window, every type together. */
  sent: count,
  received: count,
});
export type WindowSockets = z.infer<typeof windowSocketsSchema>;

const timeWindowSchema = z.object({
  /** Seconds from the run's start to the window's start. */
  t: z.number().nonnegative(),
  /** Virtual users active at the end of the window. */
  activeUsers: count,
  /**
   * Of activeUsers, those whose setup had completed: in their loop (v3; absent in older files).
   * Fewer than scheduled when the setup (log in...) could not keep up.
   */
  loopUsers: count.optional(),
  requests: count,
  errors: count,
  droppedIterations: count,
  endpoints: z.record(z.string(), windowEndpointSchema),
  /** Present once a user has tried to open a socket. */
  ws: windowSocketsSchema.optional(),
  /** Custom counters, rates and gauges recorded in (or, for a gauge, carried into) the window. */
  metrics: z.record(z.string(), windowMetricSchema).optional(),
  /** The generator's own health in the window (absent in files written before it was measured). */
  generator: windowGeneratorSchema.optional(),
});
export type TimeWindow = z.infer<typeof timeWindowSchema>;

const failureSchema = z.object({
  endpoint: z.string(),
  /**
   * `http_<status>`, `connection_refused`, `connection_reset`, `timeout`, `dns`,
   * `host_unreachable`, `tls_certificate`, `tls_handshake`, `protocol_error`, `other`; sockets'
   * `ws_timeout`, `ws_closed`. Of the failures without a response only the timeouts were timed:
   * `timeout`, and `ws_timeout` of a socket `request()` (from its send).
   */
  kind: z.string(),
  count,
  sample: z.string(),
});
export type Failure = z.infer<typeof failureSchema>;

const checkResultSchema = z.object({
  label: z.string(),
  passes: count,
  fails: count,
});

const thresholdResultSchema = z.object({
  expr: z.string(),
  /** The name it judges (an endpoint, a custom metric, a check label); null = the run's totals. */
  endpoint: z.string().nullable(),
  metric: z.string(),
  op: z.enum(['<', '<=', '>', '>=']),
  limit: z.number(),
  /** null: no data (nothing of that name, or nothing measured), and the threshold failed. */
  actual: z.number().nullable(),
  passed: z.boolean(),
  /** Why there is no data, or why the metric does not apply to what the name is. */
  reason: z.string().optional(),
  /** This threshold stopped the run early (`abort`), failing while it ran. */
  aborted: z.boolean().optional(),
});
export type ThresholdResult = z.infer<typeof thresholdResultSchema>;

const stageSchema = z.object({
  /** Seconds. */
  duration: z.number().nonnegative(),
  /** Users (closed model) or iterations per second (open model) reached at the stage's end. */
  target: z.number().nonnegative(),
});

const modelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('closed'), users: count, spawnRate: z.number().positive() }),
  z.object({
    type: z.literal('open'),
    /** Iterations per second. */
    rate: z.number().positive(),
    preAllocatedVUs: count,
    maxVUs: count,
  }),
]);

const profileSchema = z.object({
  type: z.enum(['constant', 'ramp', 'step', 'burst', 'spike']),
  /** Starting value, then linear segments; a zero-duration stage is a jump. */
  start: z.number().nonnegative(),
  stages: z.array(stageSchema),
});

const faultInfoSchema = z.object({
  delayMs: z.number().nonnegative(),
  route: z.string(),
  mode: z.string(),
});
export type FaultInfo = z.infer<typeof faultInfoSchema>;

/** One input of a merge, as it ran: its segment and its own clock's start (t = 0 of its windows). */
const mergedPartSchema = z.object({
  index: count,
  count: z.number().int().positive(),
  startedAt: z.iso.datetime(),
  /** When its users actually started: startedAt + its run.startLateMs. */
  actualStartAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
});

const mergeInfoSchema = z.object({
  /** Every merged input, in segment order. */
  parts: z.array(mergedPartSchema),
  /** Latest actual start minus earliest among the inputs: how far apart they really began. */
  maxStartSkewMs: z.number().nonnegative(),
  /** True when segments were missing and `--allow-partial` accepted that. */
  partial: z.boolean(),
  /** Segment indexes of `0..count-1` that were not merged (empty unless partial). */
  missingSegments: z.array(count),
});

/**
 * Where a run came from, so that a history of runs can say which change of what made it slower.
 * Every field is optional: summaries written before it have none, and each part is recorded only
 * when it could be found (model/run-provenance.ts).
 */
const provenanceSchema = z.object({
  /** `--tag key=value` and LOADGEN_TAGS, e.g. `commit` of the system under test. */
  tags: z.record(z.string(), z.string()).optional(),
  /** The machine loadgen ran on; a merged summary lists its segments' hosts, comma-separated. */
  host: z.string().optional(),
  /** The scenario file's git commit, when it sits in a git work tree (and git is installed). */
  scenarioGit: z
    .object({
      commit: z.string(),
      /** The work tree had uncommitted changes to tracked files (git describe --dirty's sense). */
      dirty: z.boolean(),
    })
    .optional(),
  /** The target's build, from a `*_build_info` gauge on its /metrics (value 1, labels version, revision). */
  target: z
    .object({
      /** The gauge's name, e.g. game_api_build_info. */
      metric: z.string(),
      version: z.string().optional(),
      revision: z.string().optional(),
    })
    .optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

const runInfoSchema = z.object({
  testid: z.string().min(1),
  scenario: z.object({ name: z.string(), label: z.string() }),
  /**
   * The call pattern the run played (model/call-pattern.ts): the scenario's `pattern` option, or
   * `loop:<hash>` of its loop's endpoints. Runs of one call pattern are comparable.
   */
  callPattern: z.string().min(1),
  target: z.string(),
  model: modelSchema,
  profile: profileSchema,
  durationSec: z.number().nonnegative(),
  /** Actually measured seconds from start to stop (shorter when interrupted). */
  elapsedSec: z.number().nonnegative(),
  threads: z.number().int().positive(),
  /** The HTTP client that sent the requests (v1 files written before it was a choice: undici). */
  httpClient: z.enum(HTTP_CLIENT_KINDS),
  /** The execution segment this summary covers; 0/1 = the whole run. */
  segment: z.object({ index: count, count: z.number().int().positive() }),
  /** How many summaries were merged into this one (1 for a plain run). */
  parts: z.number().int().positive(),
  thresholds: z.array(z.string()),
  /** t = 0 of the time series: every window starts at startedAt + t seconds. */
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  interrupted: z.boolean(),
  windowSec: z.number().positive(),
  loadgenVersion: z.string(),
  /** The target's fault toggle, from the fault gauge the scenario names (options.server.faultGauge). */
  fault: faultInfoSchema.nullable(),
  /**
   * The resources behind the target the scenario declared (options.server.resources), for
   * `capacity`. v3: named resources; a v2 file's per-endpoint { mysql, redisOps } table is
   * converted by the migration.
   */
  resources: z.record(z.string(), resourceSchema).optional(),
  /** What one request of each endpoint costs in them (options.server.costs). */
  costs: endpointCostsSchema.optional(),
  /** The wall-clock instant every segment was told to start at (`--start-at`), if one was given. */
  startAt: z.iso.datetime().optional(),
  /**
   * How late after startedAt this process was ready to set its users going (a --start-at met late
   * but within its 1 s tolerance); its windows still count from startedAt. Absent = not measured.
   */
  startLateMs: z.number().nonnegative().optional(),
  /** Only in a summary written by `loadgen merge`: what went into it. */
  merge: mergeInfoSchema.optional(),
  /** A threshold marked `abort` failed while the run went, and stopped it at `atSec`. */
  aborted: z.object({ threshold: z.string(), atSec: z.number().nonnegative() }).optional(),
  /** Tags, host, the scenario's git commit, the target's version (absent in older summaries). */
  provenance: provenanceSchema.optional(),
  /**
   * TLS trust beyond Node's defaults: `insecure` (`--insecure`: no certificate was verified) and
   * `caFile` (`--ca` or `options.http.ca`: certificates trusted besides Node's roots). Absent: neither.
   */
  tls: z.object({ insecure: z.boolean(), caFile: z.string().optional() }).optional(),
});
export type RunInfo = z.infer<typeof runInfoSchema>;

const totalsSchema = z.object({
  requests: count,
  errors: count,
  /** errors / requests, 0..1. */
  errorRate: z.number().min(0).max(1),
  bytes: count,
  rps: z.number().nonnegative(),
  iterations: count,
  droppedIterations: count,
  peakUsers: count,
  latencyMs: latencyStatsSchema,
  histogram: z.string(),
  /** Exceptions the scenario's own code threw (each one failed its iteration or setup). */
  scriptErrors: count.optional(),
  /**
   * Setups tried (a failed setup is tried again) and teardowns run: with `iterations`, every run
   * of the script's code, which the `script_errors` threshold divides by. Absent in older files.
   */
  setups: count.optional(),
  teardowns: count.optional(),
  /** Connected sockets (CCU) at their peak: the highest window's `ws.connectedPeak`. Only when sockets were used. */
  peakConnected: count.optional(),
});
export type Totals = z.infer<typeof totalsSchema>;

/** Delta of the target's own http_server_request_duration_seconds over the run. */
const serverRouteSchema = z.object({
  method: z.string(),
  route: z.string(),
  /** `METHOD route`, comparable with endpoint labels. */
  endpoint: z.string(),
  count,
  /** Seconds. */
  sum: z.number().nonnegative(),
  statusCounts: statusCountsSchema,
  /** Cumulative counts per upper bound in seconds ("+Inf" last). */
  buckets: z.array(z.object({ le: z.string(), count })),
});
export type ServerRoute = z.infer<typeof serverRouteSchema>;

const serverViewSchema = z.object({
  metricsUrl: z.string(),
  routes: z.array(serverRouteSchema),
});
export type ServerView = z.infer<typeof serverViewSchema>;

const messageStatsSchema = z.object({
  /**
   * The message's type field (`(untyped)`: a frame the codec did not decode into an object with a
   * string type); for Socket.IO, the event's name, `(ack)`, `(ping)` or `(pong)`.
   */
  type: z.string(),
  /** `socket.io`: an event of `vu.socketio` (endpoint `sio <type>`). Absent: a `vu.ws` message (`ws <type>`). */
  protocol: z.literal('socket.io').optional(),
  sent: count,
  received: count,
  /** Received, kept for a later next() and dropped from the full buffer unread. */
  dropped: count,
  /** Payload bytes, before permessage-deflate (v3; absent in older files). */
  sentBytes: count.optional(),
  receivedBytes: count.optional(),
});

/** What the users' sockets did; latencies are in `endpoints[]` with `kind: 'ws'`. */
const socketStatsSchema = z.object({
  /** Handshakes that succeeded (failed ones are errors of the `ws connect` endpoint). */
  connects: count,
  /** By type, sorted by type. */
  messages: z.array(messageStatsSchema),
  /** Closes by close code, whichever side closed (1006: the connection was lost). */
  closeCodes: z.record(z.string(), count),
  /** Socket.IO reconnections that succeeded (each is also one of `connects`). Only when there was one. */
  reconnects: count.optional(),
  /**
   * Bytes the sockets' connections carried each way, counted as each socket closed: frames,
   * handshakes, after permessage-deflate (v3; absent in older files).
   */
  wireBytes: z.object({ sent: count, received: count }).optional(),
});
export type SocketStats = z.infer<typeof socketStatsSchema>;

export const summarySchema = z.object({
  schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION),
  run: runInfoSchema,
  totals: totalsSchema,
  endpoints: z.array(endpointStatsSchema),
  timeSeries: z.array(timeWindowSchema),
  failures: z.array(failureSchema),
  thresholds: z.array(thresholdResultSchema),
  server: serverViewSchema.optional(),
  /** `vu.check(label, condition)` counts per label. */
  checks: z.array(checkResultSchema).optional(),
  /** Only when users opened sockets (`vu.ws`). */
  ws: socketStatsSchema.optional(),
  /** Custom counters, rates and gauges (`vu.metrics`), sorted by name; only when the script used some. */
  metrics: z.array(customMetricSchema).optional(),
  /** The generator's health over the run and whether it saturated (model/generator-saturation.ts). */
  generator: generatorSummarySchema.optional(),
  /** Every steering change made while the run went, in time order; absent: never steered. */
  timeline: z.array(steeringChangeSchema).optional(),
});
export type Summary = z.infer<typeof summarySchema>;
