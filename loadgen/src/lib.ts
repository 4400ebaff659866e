// The library: what other programs (the lab, a CI job, a dashboard) use to run scenarios and read
// their results. Imported as '@game-load-lab/loadgen/lib'; a scenario script imports the
// scripting API, '@game-load-lab/loadgen' (src/index.ts), instead.

export {
  type EndpointResources,
  type ScenarioOptions,
  type ScenarioOptionsInput,
  type ServerOptions,
  scenarioOptionsSchema,
} from './api/options-schema.js';
export type { EndpointCosts, ResourceOptions } from './api/resources-schema.js';
export { isScenario } from './api/scenario-api.js';
export { EXIT, exitCodeFor } from './cli/exit-codes.js';
export { createHttpClient } from './engine/create-http-client.js';
export type { HttpClient } from './engine/http-client.js';
export { expandProfile, type Profile, ProfileCurve, UserCountSchedule } from './engine/profile.js';
export { localCount, parseSegment, partShare, type SegmentSpec } from './engine/segment.js';
export { LoadgenError, type LoadgenErrorCode } from './errors.js';
export {
  type ChangePoint,
  type ChangePointOptions,
  detectChangePoints,
} from './history/change-points.js';
export type * from './history/history-types.js';
export { buildHistory, DEFAULT_HISTORY_SETTINGS } from './history/run-history.js';
export { collectRuns } from './history/summary-collection.js';
export { type MergeOptions, mergeSummaries } from './merge/merge-summaries.js';
export {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  latencyStats,
  mergeEncoded,
} from './metrics/hdr-histograms.js';
export { serveMetrics } from './metrics/metrics-server.js';
export { createLoadgenRegistry } from './metrics/prometheus-exporter.js';
export { parsePrometheusText } from './metrics/server-metrics.js';
export * from './model/custom-metric-schema.js';
export type { HttpClientKind } from './model/http-client-kind.js';
export { STATS_CSV_COLUMNS, statsCsv } from './model/stats-csv.js';
export { parseSummary, readSummaryFile, writeSummaryFiles } from './model/summary-files.js';
export { migrateSummary } from './model/summary-migrations.js';
export * from './model/summary-schema.js';
export {
  type RunControl,
  RunController,
  type SteeringOutcome,
  type SteeringStatus,
} from './run/run-controller.js';
export { type RunDeps, type RunProgress, runScenario, START_AT_TOLERANCE_MS } from './run/run-scenario.js';
export { parseStartAt } from './run/start-at.js';
export { parseSteeringRequest, type SteeringRequest } from './run/steering-request.js';
export type { RunConfig } from './scenario/run-config.js';
export {
  type LoadedScenario,
  loadJsonScenario,
  loadScenario,
  PRESETS_DIR,
  parseScenario,
  presetNames,
  type RunOverrides,
  resolveRun,
} from './scenario/scenario-loader.js';
export type { JsonScenario, JsonScenarioInput } from './scenario/scenario-schema.js';
export { evaluateThresholds } from './thresholds/threshold-evaluator.js';
export { parseThreshold, type Threshold } from './thresholds/threshold-parser.js';
export { LOADGEN_VERSION } from './version.js';
