import type { MetricDeclarations } from '../../../src/api/metrics-options.js';
import { RunAggregator } from '../../../src/metrics/run-aggregator.js';
import { WindowRecorder } from '../../../src/metrics/window-recorder.js';
import { deriveCallPattern } from '../../../src/model/call-pattern.js';
import {
  type RunInfo,
  type ServerView,
  SUMMARY_SCHEMA_VERSION,
  type Summary,
  summarySchema,
} from '../../../src/model/summary-schema.js';
import { metricsOf, statsOf } from '../../../src/run/summary-builder.js';

/** One endpoint's traffic in a generated run: how many requests each second, and their latencies. */
export interface EndpointPlan {
  perSecond: (t: number) => number;
  /** Latency of the i-th request of second t, in ms. */
  latencyMs: (t: number, i: number) => number;
  /** Whether the i-th request of second t fails (with an HTTP 500). */
  fails?: (t: number, i: number) => boolean;
  /** Called from the users' setup (log in...). */
  setup?: boolean;
  /** A custom trend (vu.time) instead of an HTTP endpoint: its failures are of kind ServerError. */
  custom?: boolean;
}

export interface RunPlan {
  testid: string;
  label?: string;
  seconds: number;
  users: (t: number) => number;
  /** Users in their loop (setup finished) at the end of second t; default: not counted, as before v3. */
  loopUsers?: (t: number) => number;
  endpoints: Record<string, EndpointPlan>;
  profile?: RunInfo['profile'];
  fault?: RunInfo['fault'];
  thresholds?: Summary['thresholds'];
  server?: ServerView;
  startedAt?: string;
  resources?: RunInfo['resources'];
  costs?: RunInfo['costs'];
  /** The call pattern the scenario declared; default: derived from the endpoints, as a run does. */
  pattern?: string;
  /** Declared custom metrics (a trend's unit). */
  metrics?: MetricDeclarations;
  /** Custom counters: how much is counted each second. */
  counters?: Record<string, (t: number) => number>;
}

/**
 * A summary made the way `loadgen run` makes one: every request recorded into loadgen's own
 * WindowRecorder (real HdrHistograms), windows added up by its RunAggregator, stats from its
 * summary builder. Only the traffic is synthetic, so the figures are known exactly.
 */
export function makeSummary(plan: RunPlan): Summary {
  const recorder = new WindowRecorder(plan.metrics);
  const agg = new RunAggregator(1, 1);
  for (let t = 0; t < plan.seconds; t++) {
    for (const [name, e] of Object.entries(plan.endpoints)) {
      const n = e.perSecond(t);
      if (e.setup === true && n > 0) recorder.markSetup(name);
      for (let i = 0; i < n; i++) {
        const failed = e.fails?.(t, i) ?? false;
        if (e.custom === true) {
          if (failed) recorder.trend(name).fail('ServerError', `ServerError from ${name}`);
          else recorder.trend(name).record(e.latencyMs(t, i));
          continue;
        }
        recorder.recordResponse(
          name,
          failed ? 500 : 200,
          e.latencyMs(t, i) * 1000,
          100,
          failed ? 'http_500' : undefined,
          failed ? `HTTP 500 from ${name}` : undefined,
        );
      }
    }
    for (const [name, n] of Object.entries(plan.counters ?? {})) recorder.custom.count(name, n(t));
    const report = recorder.flush(t, plan.users(t));
    if (plan.loopUsers !== undefined) report.loopUsers = plan.loopUsers(t);
    agg.add(report);
  }
  agg.finish();
  const { endpoints, totals } = statsOf(agg, plan.seconds);
  const started = new Date(plan.startedAt ?? '2026-11-22T07:00:00.000Z');
  const users = Math.max(...Array.from({ length: plan.seconds }, (_, t) => plan.users(t)));
  const summary: Summary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    run: {
      testid: plan.testid,
      scenario: { name: plan.label ?? 'baseline', label: plan.label ?? 'baseline' },
      callPattern: plan.pattern ?? deriveCallPattern(endpoints),
      target: 'http://127.0.0.1:8000',
      model: { type: 'closed', users, spawnRate: 2 },
      profile: plan.profile ?? {
        type: 'constant',
        start: users,
        stages: [{ duration: plan.seconds, target: users }],
      },
      durationSec: plan.seconds,
      elapsedSec: plan.seconds,
      threads: 1,
      httpClient: 'undici',
      segment: { index: 0, count: 1 },
      parts: 1,
      thresholds: (plan.thresholds ?? []).map((t) => t.expr),
      startedAt: started.toISOString(),
      endedAt: new Date(started.getTime() + plan.seconds * 1000).toISOString(),
      interrupted: false,
      windowSec: 1,
      loadgenVersion: 'test',
      fault: plan.fault ?? null,
      ...(plan.resources !== undefined ? { resources: plan.resources } : {}),
      ...(plan.costs !== undefined ? { costs: plan.costs } : {}),
    },
    totals,
    endpoints,
    timeSeries: agg.windows,
    failures: agg.failureTable(),
    thresholds: plan.thresholds ?? [],
    ...(plan.server !== undefined ? { server: plan.server } : {}),
  };
  const metrics = metricsOf(agg, plan.seconds);
  if (metrics !== undefined) summary.metrics = metrics;
  return summarySchema.parse(summary);
}

/** A steady game-like run: a few endpoints with fixed latencies, optionally one slowed down. */
export function gameRun(
  testid: string,
  options: { label?: string; slow?: { endpoint: string; addMs: number } } = {},
) {
  const base: Record<string, number> = {
    'GET /api/me': 3,
    'POST /api/sessions': 6,
    'GET /api/leaderboard': 2,
    'GET /api/users': 8,
  };
  const endpoints: Record<string, EndpointPlan> = {};
  for (const [name, ms] of Object.entries(base)) {
    const add = options.slow?.endpoint === name ? options.slow.addMs : 0;
    endpoints[name] = { perSecond: () => 20, latencyMs: (_t, i) => ms + add + (i % 5) * 0.2 };
  }
  return makeSummary({
    testid,
    label: options.label ?? 'baseline',
    seconds: 10,
    users: (t) => Math.min(10, 2 * (t + 1)),
    endpoints,
  });
}
