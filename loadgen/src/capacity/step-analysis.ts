import { LoadgenError } from '../errors.js';
import { mergeEncoded } from '../metrics/hdr-histograms.js';
import { windowSaturated } from '../model/generator-saturation.js';
import type { Summary } from '../model/summary-schema.js';

/** One row of the step table, as the seeds' step reports have it (plus p95). */
export interface StepRow {
  /** The step's user level (the profile's target). */
  users: number;
  /** Most users seen active in one of its windows. */
  activeUsers: number;
  /**
   * Most users in their loop (setup finished) at the end of one of its windows: fewer than `users`
   * when the setup (log in...) could not keep up. null: an open-model run (its levels are rates,
   * not users), or a summary from before loadgen counted them.
   */
  loopUsers: number | null;
  /** The mean of its windows' users in the loop (null as loopUsers): the players behind its req/s. */
  meanLoopUsers: number | null;
  startSec: number;
  endSec: number;
  requests: number;
  failures: number;
  /** failures / requests, 0..1. */
  failureRate: number;
  meanMs: number;
  p95Ms: number;
  rps: number;
  /** Requests per endpoint and their client-side mean, for the capacity plan. */
  endpoints: { endpoint: string; requests: number; meanMs: number }[];
  /** Windows of the step in which the generator itself was saturated (its latencies are suspect). */
  saturatedWindows: number;
}

interface Level {
  users: number;
  start: number;
  end: number;
}

/**
 * When a steered run's load stopped following its profile: the first change (dashboard or
 * `loadgen control`); undefined for a run never steered.
 */
export function steeredAtSec(summary: Summary): number | undefined {
  return summary.timeline?.[0]?.t;
}

/**
 * Flat stretches of the profile (a step profile is jumps then holds), in order; in a steered run
 * only what ran before the first change, the rest being no step of the profile.
 */
function levels(summary: Summary): Level[] {
  const cut = steeredAtSec(summary) ?? Number.POSITIVE_INFINITY;
  const out: Level[] = [];
  let t = 0;
  let v = summary.run.profile.start;
  for (const s of summary.run.profile.stages) {
    if (s.duration > 0 && s.target === v && t < cut)
      out.push({ users: v, start: t, end: Math.min(t + s.duration, cut) });
    t += s.duration;
    v = s.target;
  }
  return out;
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/**
 * What a step serves: the HTTP requests. Socket figures (handshakes, push delays) are not
 * requests; a custom trend is not either when requests were made (it may wrap one). A run with no
 * HTTP request at all (a game driven through its SDK) is measured by its custom trends in ms, the
 * operations the script timed (join room, move round trip); a trend of another unit never counts.
 */
export function stepEndpoints(summary: Summary): Summary['endpoints'] {
  const http = summary.endpoints.filter((e) => e.kind === undefined);
  if (http.length > 0) return http;
  return summary.endpoints.filter((e) => e.kind === 'custom' && e.unit === undefined);
}

/**
 * Cut a step run's time series at the profile's steps and add up each step's windows, leaving
 * out the `exclude`d endpoints; latency figures come from the merged per-window HdrHistograms,
 * so they are the step's own (3 significant digits, as every HdrHistogram figure here).
 */
export function analyseSteps(summary: Summary, exclude: readonly string[] = []): StepRow[] {
  if (summary.run.profile.type !== 'step') {
    throw new LoadgenError(
      'LG_USAGE',
      `${summary.run.testid} is a ${summary.run.profile.type} run: capacity needs a step run (loadgen run step)`,
    );
  }
  const served = new Set(stepEndpoints(summary).map((e) => e.endpoint));
  const rows: StepRow[] = [];
  for (const level of levels(summary)) {
    const end = Math.min(level.end, summary.run.elapsedSec);
    const windows = summary.timeSeries.filter((w) => w.t >= level.start && w.t < end);
    if (windows.length === 0 || end <= level.start) continue;
    let requests = 0;
    let failures = 0;
    // Per endpoint: its requests (failures without a response included, which its histogram
    // lacks: they are load on the target all the same) and the histograms of its windows.
    const perEndpoint = new Map<string, { requests: number; encoded: string[] }>();
    for (const w of windows) {
      for (const [name, e] of Object.entries(w.endpoints)) {
        if (exclude.includes(name) || !served.has(name)) continue;
        requests += e.count;
        failures += e.errors;
        const acc = perEndpoint.get(name) ?? { requests: 0, encoded: [] };
        acc.requests += e.count;
        acc.encoded.push(e.histogram);
        perEndpoint.set(name, acc);
      }
    }
    const all = mergeEncoded([...perEndpoint.values()].flatMap((a) => a.encoded));
    const endpoints = [...perEndpoint].map(([endpoint, acc]) => {
      const h = mergeEncoded(acc.encoded);
      const row = { endpoint, requests: acc.requests, meanMs: round(h.mean / 1000) };
      h.destroy();
      return row;
    });
    const loops = windows.map((w) => w.loopUsers);
    const counted = summary.run.model.type === 'closed' && loops.every((n) => n !== undefined);
    rows.push({
      users: level.users,
      activeUsers: Math.max(...windows.map((w) => w.activeUsers)),
      loopUsers: counted ? Math.max(...(loops as number[])) : null,
      meanLoopUsers: counted ? round((loops as number[]).reduce((a, b) => a + b, 0) / loops.length, 2) : null,
      startSec: level.start,
      endSec: end,
      requests,
      failures,
      failureRate: requests === 0 ? 0 : failures / requests,
      meanMs: all.totalCount === 0 ? 0 : round(all.mean / 1000),
      p95Ms: all.totalCount === 0 ? 0 : round(all.getValueAtPercentile(95) / 1000),
      rps: round(requests / (end - level.start), 2),
      endpoints,
      saturatedWindows: windows.filter((w) => w.generator !== undefined && windowSaturated(w.generator))
        .length,
    });
    all.destroy();
  }
  if (rows.length === 0) {
    const steered = steeredAtSec(summary);
    throw new LoadgenError(
      'LG_SUMMARY_INVALID',
      steered === undefined
        ? `${summary.run.testid}: no time windows fall inside its steps`
        : `${summary.run.testid} was steered at ${steered} s, before its first step had a whole window: no step of its profile to analyse`,
    );
  }
  return rows;
}
