import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { EngineConfig } from '../engine/engine-config.js';
import type { PartSpec } from '../engine/engine-part.js';
import { partShare } from '../engine/segment.js';
import { createLoadgenRegistry, serveMetrics } from '../metrics/prometheus-exporter.js';
import { RunAggregator } from '../metrics/run-aggregator.js';
import { scrapeServerMetrics, serverDelta } from '../metrics/server-metrics.js';
import { type LiveOutput, LiveView } from '../output/live-view.js';
import { rowsOfPart } from '../scenario/data-feed.js';
import type { RunConfig } from '../scenario/run-config.js';
import { instantiateScenario } from '../scenario/scenario-source.js';
import { buildSummary } from '../summary/summary-builder.js';
import type { Summary } from '../summary/summary-schema.js';
import { localPart, type PartRunner, threadPart } from './part-runner.js';
import { checkTarget } from './target-check.js';

export interface RunDeps {
  /** Live view sink (stdout in the CLI); none = quiet. */
  output?: LiveOutput;
  /** One-line notices (metrics port, files written): stderr in the CLI. */
  log?: (line: string) => void;
  /** Abort = interrupt: users stop, the summary is marked interrupted. */
  signal?: AbortSignal;
  /** Serve Prometheus metrics on this port (0 = any free port). */
  metricsPort?: number;
  /** Keep serving metrics this long after the run so the last samples are scraped. Default 10. */
  metricsLingerSec?: number;
  /** Called with the summary as soon as it exists (before the metrics linger): write files here. */
  onSummary?: (summary: Summary) => void;
  /** Called with the metrics port once it listens. */
  onMetricsListening?: (port: number) => void;
}

/** A short run-unique tag for usernames: unique across runs, segments and machines. */
function runTag(testid: string): string {
  return createHash('sha1').update(testid).update(randomBytes(8)).digest('hex').slice(0, 8);
}

/**
 * Run one scenario (this process's segment of it) and return its summary. This is the library
 * entry the CLI and the tests call; it never exits the process or writes files.
 */
export async function runScenario(config: RunConfig, deps: RunDeps = {}): Promise<Summary> {
  await checkTarget(config.target);
  const metricsUrl = `${config.target}/metrics`;
  const faultGauge = config.server.faultGauge;
  const before = await scrapeServerMetrics(metricsUrl, faultGauge);

  const agg = new RunAggregator(config.threads, config.windowSec);
  const live = deps.output ? new LiveView(deps.output, config.durationSec, config.windowSec) : undefined;
  if (live) agg.subscribe((w, all) => live.update(w, all));
  const metrics =
    deps.metricsPort === undefined
      ? undefined
      : await serveMetrics(
          createLoadgenRegistry(agg, { testid: config.testid, scenario: config.label }),
          deps.metricsPort,
        );
  if (metrics) {
    deps.onMetricsListening?.(metrics.port);
    deps.log?.(`metrics on http://0.0.0.0:${metrics.port}/metrics`);
  }

  const prefix = `lg_${runTag(config.testid)}_${config.segment.index}`;
  // Only what the engine reads crosses into a worker: never the scenario's whole data file.
  const { source, data, server: _server, thresholds: _thresholds, ...engineConfig } = config;
  const parts: PartRunner[] = [];
  const emit = (r: Parameters<RunAggregator['add']>[0]) => agg.add(r);
  for (let thread = 0; thread < config.threads; thread++) {
    const share = partShare(config.segment, thread, config.threads);
    const spec: PartSpec = {
      config: engineConfig satisfies EngineConfig,
      share,
      thread,
      tagPrefix: prefix,
      rows: data === undefined ? undefined : rowsOfPart(data.rows, share, data.file),
    };
    parts.push(
      config.threads === 1
        ? localPart(spec, await instantiateScenario(source), emit)
        : threadPart(spec, source, emit),
    );
  }

  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    for (const p of parts) p.stop();
  };
  // Listening before users set up: SIGINT stops users still in setup (a broken target never lets
  // them finish), and the run ends with an interrupted summary.
  if (deps.signal?.aborted) onAbort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(parts.map((p) => p.prepare()));
    // A common start a little ahead, so every thread's windows line up on the same clock.
    const startEpochMs = Math.ceil(performance.timeOrigin + performance.now() + 50);
    const startedAt = new Date(startEpochMs);
    await Promise.all(parts.map((p) => p.run(startEpochMs)));
    agg.finish();
    live?.finish();
    const endedAt = new Date();
    const elapsedSec = Math.min(
      (endedAt.getTime() - startEpochMs) / 1000,
      interrupted ? Infinity : config.durationSec,
    );
    const after = before === undefined ? undefined : await scrapeServerMetrics(metricsUrl, faultGauge);
    const server = before && after ? serverDelta(metricsUrl, before, after) : undefined;
    const summary = buildSummary(
      config,
      agg,
      { startedAt, endedAt, elapsedSec, interrupted },
      server,
      before?.fault ?? null,
    );
    deps.onSummary?.(summary);
    if (metrics && !interrupted) {
      // An interrupt during the linger ends it; the summary is already written.
      await delay((deps.metricsLingerSec ?? 10) * 1000, undefined, { signal: deps.signal }).catch(
        () => undefined,
      );
    }
    return summary;
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
    await Promise.all(parts.map((p) => p.close()));
    await metrics?.close();
  }
}
