import { parsePrometheusText } from '../../src/metrics/server-metrics.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { RunConfig } from '../../src/scenario/run-config.js';

/**
 * Run a scenario in this process with its Prometheus metrics served, and scrape them once the
 * summary exists: the run's summary and its final series, for tests that hold one to the other.
 */
export async function runScraped(
  config: RunConfig,
): Promise<{ summary: Summary; samples: ReturnType<typeof parsePrometheusText> }> {
  let port = 0;
  let scraped: Promise<string> | undefined;
  const summary = await runScenario(config, {
    metricsPort: 0,
    // Served a little after the summary, so the scrape started in onSummary completes.
    metricsLingerSec: 2,
    onMetricsListening: (p) => {
      port = p;
    },
    onSummary: () => {
      scraped = fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    },
  });
  return { summary, samples: parsePrometheusText(await (scraped as Promise<string>)) };
}
