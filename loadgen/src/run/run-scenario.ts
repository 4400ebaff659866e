import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { EngineConfig } from '../engine/engine-config.js';
import type { PartSpec } from '../engine/engine-part.js';
import { partShare } from '../engine/segment.js';
import { LoadgenError } from '../errors.js';
import { serveMetrics } from '../metrics/metrics-server.js';
import { createLoadgenRegistry } from '../metrics/prometheus-exporter.js';
import { RunAggregator, type RunSoFar, type WindowLatency } from '../metrics/run-aggregator.js';
import { scrapeServerMetrics, serverDelta } from '../metrics/server-metrics.js';
import { GeneratorAssessment } from '../model/generator-saturation.js';
import type { RunInfo, Summary, TimeWindow } from '../model/summary-schema.js';
import { rowsOfPart } from '../scenario/data-feed.js';
import type { RunConfig } from '../scenario/run-config.js';
import { instantiateScenario } from '../scenario/scenario-source.js';
import { localPart, type PartRunner, threadPart } from './part-runner.js';
import type { RunController } from './run-controller.js';
import { probeProvenance, withTargetBuild } from './run-provenance-probe.js';
import { buildSummary } from './summary-builder.js';
import { checkTarget } from './target-check.js';
import { watchThresholds } from './threshold-watch.js';

/**
 * What shows a run while it goes: each time window as it closes (with the latest window's
 * percentiles and the run so far), then the end, before the summary is built. The CLI passes its
 * live view (src/terminal/live-view.ts) on stdout, and the dashboard when it serves one.
 * `soFar` builds the summary of the run up to this window (figures only, no encoded histograms):
 * only what asks for it pays for it.
 */
export interface RunProgress {
  update(window: TimeWindow, latest: WindowLatency, run: RunSoFar, soFar: () => Summary): void;
  finish(): void;
}

export interface RunDeps {
  /** Progress while the run goes (the CLI: its live view on stdout); none = quiet. */
  progress?: RunProgress;
  /** One-line notices (metrics port, files written): stderr in the CLI. */
  log?: (line: string) => void;
  /** Abort = interrupt: users stop, the summary is marked interrupted. */
  signal?: AbortSignal;
  /** Serve Prometheus metrics on this port (0 = any free port). */
  metricsPort?: number;
  /** The address they listen on; default 0.0.0.0 (a Prometheus in a container or elsewhere). */
  metricsHost?: string;
  /** Keep serving metrics this long after the run so the last samples are scraped. Default 10. */
  metricsLingerSec?: number;
  /**
   * Called with the summary as soon as it exists (before the metrics linger): write files here.
   * Awaited while the metrics are still served, so what it reads from them is the run's final state.
   */
  onSummary?: (summary: Summary) => void | Promise<void>;
  /** Called with the metrics port once it listens. */
  onMetricsListening?: (port: number) => void;
  /** Steering while the run goes (the dashboard, `loadgen control`): bound to the parts here. */
  control?: RunController;
}

/** A short run-unique tag for usernames: unique across runs, segments and machines. */
function runTag(testid: string): string {
  return createHash('sha1').update(testid).update(randomBytes(8)).digest('hex').slice(0, 8);
}

/** How late a --start-at may be met: later than this, the segments' clocks would silently differ. */
export const START_AT_TOLERANCE_MS = 1000;

/**
 * Wait (interruptibly) until `startAtEpochMs` on the wall clock, which is what segments on
 * different machines share. Already past by more than START_AT_TOLERANCE_MS is an error, not a
 * silent skew: the preparation (open-model users' setup) took longer than the lead time given.
 */
async function waitForStart(startAtEpochMs: number, deps: RunDeps): Promise<void> {
  const at = new Date(startAtEpochMs).toISOString();
  const lateMs = Date.now() - startAtEpochMs;
  if (lateMs > START_AT_TOLERANCE_MS) {
    throw new LoadgenError(
      'LG_USAGE',
      `--start-at ${at} passed ${(lateMs / 1000).toFixed(1)} s before this segment was ready to start; give a later time`,
    );
  }
  if (lateMs < 0) deps.log?.(`waiting for --start-at ${at} (in ${(-lateMs / 1000).toFixed(1)} s)`);
  // The engine parts wait out the last few ms themselves, on the clock their windows use.
  const wait = startAtEpochMs - Date.now() - 20;
  if (wait > 0) await delay(wait, undefined, { signal: deps.signal }).catch(() => undefined);
}

/**
 * Run one scenario (this process's segment of it) and return its summary. This is the library
 * entry the CLI and the tests call; it never exits the process or writes files.
 */
export async function runScenario(config: RunConfig, deps: RunDeps = {}): Promise<Summary> {
  // Every part's rows before anything starts: a data file too short for the parts is bad input,
  // refused before a request is sent or a worker exists.
  const prefix = `lg_${runTag(config.testid)}_${config.segment.index}`;
  // Only what the engine reads crosses into a worker: never the scenario's whole data file.
  const { source, data, server: _server, thresholds: _thresholds, ...engineConfig } = config;
  const specs = Array.from({ length: config.threads }, (_, thread): PartSpec => {
    const share = partShare(config.segment, thread, config.threads);
    return {
      config: engineConfig satisfies EngineConfig,
      share,
      thread,
      tagPrefix: prefix,
      rows: data === undefined ? undefined : rowsOfPart(data.rows, share, data.file),
    };
  });
  // git runs while the target is checked and the users set up; nothing waits for it until the end.
  const provenance = probeProvenance(config);
  await checkTarget(config.target);
  const metricsUrl = `${config.target}/metrics`;
  const faultGauge = config.server.faultGauge;
  const before = await scrapeServerMetrics(metricsUrl, faultGauge);

  const agg = new RunAggregator(config.threads, config.windowSec);
  const progress = deps.progress;
  let startEpochMs: number | undefined;
  let startLateMs = 0;
  const timeline = deps.control?.timeline ?? [];
  if (progress) {
    // Folded as windows close, so soFar() costs the same in the run's last minute as in its first.
    // (The final partial windows may close out of order; the end's summary assesses them in order.)
    const generator = new GeneratorAssessment();
    const soFar = (w: TimeWindow) => () =>
      buildSummary(
        config,
        agg,
        {
          startedAt: new Date(startEpochMs ?? Date.now()),
          endedAt: new Date(),
          elapsedSec: Math.min(w.t + config.windowSec, config.durationSec),
          interrupted: false,
          startLateMs,
        },
        undefined,
        before?.fault ?? null,
        timeline,
        { encode: false, generator },
      );
    agg.subscribe((w, latest, run) => {
      generator.add(w);
      progress.update(w, latest, run, soFar(w));
    });
  }
  const metrics =
    deps.metricsPort === undefined
      ? undefined
      : await serveMetrics(
          createLoadgenRegistry(agg, { testid: config.testid, scenario: config.label }),
          deps.metricsPort,
          deps.metricsHost,
        );
  if (metrics) {
    deps.onMetricsListening?.(metrics.port);
    deps.log?.(`metrics on http://${deps.metricsHost ?? '0.0.0.0'}:${metrics.port}/metrics`);
  }

  const parts: PartRunner[] = [];
  const emit = (r: Parameters<RunAggregator['add']>[0]) => agg.add(r);
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    for (const p of parts) p.stop();
  };
  // A threshold marked `abort` that fails while the run goes stops it (no interrupt: exit 99).
  let aborted: RunInfo['aborted'];
  watchThresholds(config.thresholds, agg, config.windowSec, (a) => {
    aborted = a;
    deps.log?.(`threshold "${a.threshold}" failed at ${a.atSec} s: stopping the run (abort)`);
    for (const p of parts) p.stop();
  });
  // Listening before users set up: SIGINT stops users still in setup (a broken target never lets
  // them finish), and the run ends with an interrupted summary.
  if (deps.signal?.aborted) onAbort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  deps.control?.attach({
    model: config.model,
    profile: config.profile,
    durationSec: config.durationSec,
    threads: config.threads,
    segment: config.segment,
    startEpochMs: () => startEpochMs,
    setUsers: (atSec, users, spawnRate) => {
      for (const p of parts) p.setUsers(atSec, users, spawnRate);
    },
    setRate: (atSec, rate) => {
      for (const p of parts) p.setRate(atSec, rate);
    },
    stop: onAbort,
  });
  // From the first part on, any failure ends in the finally below: a worker or the metrics server
  // left open would keep the process alive after the error is printed.
  try {
    for (const spec of specs) {
      parts.push(
        config.threads === 1
          ? localPart(spec, await instantiateScenario(source), emit)
          : threadPart(spec, source, emit),
      );
    }
    // Interrupted while the parts were created: stop those the interrupt did not reach.
    if (interrupted) onAbort();
    await Promise.all(parts.map((p) => p.prepare()));
    // A common start, so every thread's windows line up on the same clock: --start-at's instant
    // (shared by every segment of the run, on any machine), else a little ahead of now.
    const start = config.startAtEpochMs ?? Math.ceil(performance.timeOrigin + performance.now() + 50);
    const startedAt = new Date(start);
    if (config.startAtEpochMs !== undefined) await waitForStart(config.startAtEpochMs, deps);
    startEpochMs = start;
    // The parts wait out any last milliseconds themselves; past the start, this is how late they go.
    startLateMs = Math.max(0, Math.round(Date.now() - start));
    // Interrupted before the start (in setup, or waiting for --start-at): the parts still report
    // what they measured so far (setup requests), then stop at once.
    await Promise.all(parts.map((p) => p.run(start)));
    deps.control?.end();
    agg.finish();
    progress?.finish();
    const endedAt = new Date();
    const elapsedSec = Math.max(
      0,
      Math.min(
        (endedAt.getTime() - start) / 1000,
        interrupted || aborted !== undefined ? Infinity : config.durationSec,
      ),
    );
    const after = before === undefined ? undefined : await scrapeServerMetrics(metricsUrl, faultGauge);
    const server =
      before?.hasRequestMetric && after?.hasRequestMetric
        ? serverDelta(metricsUrl, before, after)
        : undefined;
    const summary = buildSummary(
      config,
      agg,
      { startedAt, endedAt, elapsedSec, interrupted, startLateMs },
      server,
      before?.fault ?? null,
      timeline,
      { aborted },
    );
    summary.run.provenance = withTargetBuild(await provenance, before?.build);
    await deps.onSummary?.(summary);
    if (metrics && !interrupted) {
      // An interrupt during the linger ends it; the summary is already written.
      await delay((deps.metricsLingerSec ?? 10) * 1000, undefined, { signal: deps.signal }).catch(
        () => undefined,
      );
    }
    return summary;
  } finally {
    deps.control?.end();
    deps.signal?.removeEventListener('abort', onAbort);
    await Promise.all(parts.map((p) => p.close()));
    await metrics?.close();
  }
}
