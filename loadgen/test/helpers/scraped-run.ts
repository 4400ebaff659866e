import { parsePrometheusText } from '../../src/metrics/server-metrics.js';
import type { Summary, TimeWindow } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { RunConfig } from '../../src/scenario/run-config.js';

type Samples = ReturnType<typeof parsePrometheusText>;

export interface ScrapedRun {
  summary: Summary;
  /** The series once the summary exists: the run's final totals. */
  samples: Samples;
  /** The series scraped mid-run, when `scrapeDuring` asked for it and a window matched. */
  during: Samples | undefined;
}

/**
 * Run a scenario in this process with its Prometheus metrics served, and scrape them once the
 * summary exists (runScenario awaits onSummary before it closes the metrics server): the run's
 * summary and its final series, for tests that hold one to the other. `scrapeDuring` also scrapes
 * once, at the first closed window it accepts.
 */
export async function runScraped(
  config: RunConfig,
  options: { scrapeDuring?: (window: TimeWindow) => boolean } = {},
): Promise<ScrapedRun> {
  let port = 0;
  let samples: Samples = [];
  let during: Promise<string> | undefined;
  const scrape = () => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const scrapeDuring = options.scrapeDuring;
  const summary = await runScenario(config, {
    metricsPort: 0,
    metricsLingerSec: 0,
    onMetricsListening: (p) => {
      port = p;
    },
    ...(scrapeDuring === undefined
      ? {}
      : {
          progress: {
            update: (w: TimeWindow) => {
              if (during === undefined && scrapeDuring(w)) during = scrape();
            },
            finish: () => undefined,
          },
        }),
    onSummary: async () => {
      samples = parsePrometheusText(await scrape());
    },
  });
  return {
    summary,
    samples,
    during: during === undefined ? undefined : parsePrometheusText(await during),
  };
}
