import { isLegacyResources, liftLegacyResources } from '../api/resources-schema.js';
import { deriveCallPattern, type PatternEndpoint } from './call-pattern.js';
import { SUMMARY_SCHEMA_VERSION } from './summary-schema.js';

type Json = Record<string, unknown>;

/**
 * How to lift a summary of version v to v + 1, for every v ever written. A stored run must stay
 * readable by every later loadgen (report and compare read runs months old), so a schema bump
 * comes with its step here, and the step is never removed; test/fixtures keeps a file of each
 * version that the tests read through this chain.
 */
const LIFT: Record<number, (summary: Json) => Json> = {
  // v1 -> v2: run.httpClient became required. v1 files without it predate the lean client, so
  // undici sent their requests.
  1: (summary) => {
    const run = (summary.run ?? {}) as Json;
    return { ...summary, schemaVersion: 2, run: { ...run, httpClient: run.httpClient ?? 'undici' } };
  },
  // v2 -> v3: the fields version 3 adds come with their defaults here (loadgen/README.md,
  // "summary.json", lists them by version too):
  // - run.callPattern (required): no v2 scenario declared one, so it is derived from the run's
  //   endpoints, as a v3 run of a scenario that declares none gets it.
  // - run.resources became named resources with run.costs beside them: the old per-endpoint
  //   { mysql, redisOps } table is read as resources mysql (a pool) and redis (ops).
  // - thresholds[].actual became null for "no data", which v2 wrote as -1 (no metric of a
  //   threshold is ever negative).
  // - Optional, absent from v2 files, so left absent: endpoints[].decodedBytes (decompressed
  //   responses' decoded body bytes), run.tls (`--insecure`, `--ca`), run.provenance (tags, host,
  //   the scenario's git commit, the target's build), timeSeries[].loopUsers (capacity falls back
  //   to the scheduled users); the generator's health (timeSeries[].generator, generator) and the
  //   steering changes (timeline); custom measurements (endpoints[].kind 'custom' and unit,
  //   timeSeries[].metrics, metrics[], totals.setups and teardowns, run.aborted,
  //   thresholds[].reason and aborted); sockets' ws.messages[].protocol, sentBytes and
  //   receivedBytes, ws.reconnects and ws.wireBytes.
  2: (summary) => {
    const old = (summary.run ?? {}) as Json;
    const lifted = isLegacyResources(old.resources) ? liftLegacyResources(old.resources) : undefined;
    // A malformed table is left as it is, for the schema's check to name.
    const run = lifted?.ok ? { ...old, ...lifted.value } : old;
    // Malformed entries are left to the schema's check after the migration.
    const endpoints = (Array.isArray(summary.endpoints) ? summary.endpoints : []).filter(
      (e): e is PatternEndpoint => typeof (e as Json | null)?.endpoint === 'string',
    );
    const thresholds = Array.isArray(summary.thresholds)
      ? summary.thresholds.map((t: Json) => (t.actual === -1 ? { ...t, actual: null } : t))
      : summary.thresholds;
    return {
      ...summary,
      schemaVersion: 3,
      run: { ...run, callPattern: deriveCallPattern(endpoints) },
      thresholds,
    };
  },
};

type MigrationResult = { ok: true; summary: unknown } | { ok: false; reason: string };

/**
 * Bring a parsed summary.json of any version up to SUMMARY_SCHEMA_VERSION. Only the version
 * number is checked here; the caller validates the result against the current schema.
 */
export function migrateSummary(raw: unknown): MigrationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const version = (raw as Json).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, reason: `schemaVersion is ${JSON.stringify(version)}, not a version number` };
  }
  if (version > SUMMARY_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: `schemaVersion ${version} was written by a newer loadgen (this one reads 1 to ${SUMMARY_SCHEMA_VERSION})`,
    };
  }
  let summary = raw as Json;
  for (let v = version; v < SUMMARY_SCHEMA_VERSION; v++) {
    const lift = LIFT[v];
    if (lift === undefined) return { ok: false, reason: `no migration from schemaVersion ${v}` };
    summary = lift(summary);
  }
  return { ok: true, summary };
}
