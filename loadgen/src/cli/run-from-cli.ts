import { LoadgenError } from '../errors.js';
import type { RunDeps } from '../run/run-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import type { RunConfig } from '../scenario/run-config.js';
import { LiveView } from '../terminal/live-view.js';
import type { CliContext } from './cli-context.js';
import { type DashboardFlags, withDashboard } from './run-dashboard.js';
import { reportOutcome } from './run-outcome.js';

/**
 * LOADGEN_HEALTH: unset (or empty) samples the generator's health, as every run should; `off`
 * turns it off, for the `health` benchmark that measures what it costs. Anything else is refused:
 * a misspelt `of` or `false` silently sampling would make that benchmark compare a run with itself.
 */
function healthSampling(value: string | undefined): boolean {
  if (value === undefined || value === '') return true;
  if (value === 'off') return false;
  throw new LoadgenError(
    'LG_USAGE',
    `LOADGEN_HEALTH=${value}: the only value is "off" (no health sampling); unset it to sample, as every run does`,
  );
}

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
  config.sampleHealth = healthSampling(ctx.env.health);
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
