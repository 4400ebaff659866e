import type { RunDeps } from '../run/run-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import type { RunConfig } from '../scenario/run-config.js';
import { LiveView } from '../terminal/live-view.js';
import type { CliContext } from './cli-context.js';
import { type DashboardFlags, withDashboard } from './run-dashboard.js';
import { reportOutcome } from './run-outcome.js';

/**
 * A run as `loadgen run` and `loadgen url` make it: the live view on stdout, the dashboard when
 * asked for, Ctrl-C as the interrupt, and the outcome (tables, files, exit code) at the end.
 */
export async function runFromCli(
  ctx: CliContext,
  flags: DashboardFlags,
  config: RunConfig,
  outDir: string | undefined,
  deps: Pick<RunDeps, 'log' | 'metricsPort' | 'metricsHost' | 'metricsLingerSec'> = {},
): Promise<void> {
  if (ctx.env.health === 'off') config.sampleHealth = false;
  const view = new LiveView(ctx.stdout, config.durationSec, config.windowSec);
  await withDashboard(ctx, flags, config, view, ({ progress, control, ended }) =>
    runScenario(config, {
      ...deps,
      progress,
      ...(control === undefined ? {} : { control }),
      signal: ctx.interrupt,
      onSummary: (summary) => {
        reportOutcome(ctx, summary, outDir);
        ended(summary);
      },
    }),
  );
}
