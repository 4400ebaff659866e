import { setTimeout as delay } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { newDashboardToken } from '../dashboard/dashboard-access.js';
import { isLoopbackHost, parseDashboardAddress } from '../dashboard/dashboard-address.js';
import { type Dashboard, startDashboard } from '../dashboard/dashboard-server.js';
import { liveRunMeta } from '../dashboard/live-run-meta.js';
import type { Summary } from '../model/summary-schema.js';
import { loadChartAssets } from '../report/chart-library.js';
import { RunController } from '../run/run-controller.js';
import type { RunProgress } from '../run/run-scenario.js';
import type { RunConfig } from '../scenario/run-config.js';
import { type CliContext, durationArg } from './cli-context.js';
import { openBrowser } from './open-browser.js';

export interface DashboardFlags {
  dashboard?: string | true;
  open?: boolean;
  /** Seconds; undefined = DEFAULT_LINGER_SEC on a terminal, 0 otherwise (see lingerSec). */
  dashboardLinger?: number;
}

/** What the run gets from the dashboard: its progress (the terminal's too), its steering, the end. */
interface DashboardDeps {
  progress: RunProgress;
  control?: RunController;
  /** Call with the summary once written: the page shows the final state and offers the report. */
  ended: (summary: Summary) => void;
}

/** `--dashboard[=host:port]`, `--open`, `--dashboard-linger`: shared by run and url. */
export function addDashboardOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--dashboard [host:port]',
        'serve a live dashboard of the run (charts, tables, steering): 127.0.0.1:5665 unless given; off loopback it needs the token printed at start',
      ),
    )
    .option('--open', 'open the dashboard in the browser ($BROWSER, else the system opener)')
    .option(
      '--dashboard-linger <time>',
      `keep serving the final state and the report this long after the run (Ctrl-C ends it sooner; default ${DEFAULT_LINGER_SEC}s on a terminal, 0 otherwise)`,
      durationArg('--dashboard-linger', { allowZero: true }),
    );
}

/** How long the page stays after the run when --dashboard-linger is not given: two minutes to look. */
const DEFAULT_LINGER_SEC = 120;

/**
 * --dashboard-linger, or its default: a person at a terminal gets time to look at the final page;
 * a script or CI job (stdout not a terminal) is not held up after its run.
 */
function lingerSec(ctx: CliContext, flags: DashboardFlags): number {
  return flags.dashboardLinger ?? (ctx.stdout.isTTY ? DEFAULT_LINGER_SEC : 0);
}

/**
 * Run `body` with the dashboard when asked for: the page listens (its URL printed) before the
 * run starts, sees every window, is told the summary, and keeps serving it for --dashboard-linger
 * seconds after the run (an interrupt ends that sooner). Without --dashboard, `body` runs as it is.
 */
export async function withDashboard(
  ctx: CliContext,
  flags: DashboardFlags,
  config: RunConfig,
  progress: RunProgress,
  body: (deps: DashboardDeps) => Promise<unknown>,
): Promise<void> {
  if (flags.dashboard === undefined) {
    await body({ progress, ended: () => undefined });
    return;
  }
  const address = parseDashboardAddress(flags.dashboard);
  const token = isLoopbackHost(address.host) ? undefined : newDashboardToken();
  const control = new RunController();
  const dashboard: Dashboard = await startDashboard({
    address,
    control,
    meta: liveRunMeta(config),
    assets: await loadChartAssets(),
    ...(token === undefined ? {} : { token }),
  });
  let endedAt: number | undefined;
  try {
    ctx.stderr.write(`dashboard: ${dashboard.url}\n`);
    if (token !== undefined)
      ctx.stderr.write(
        `dashboard: not on loopback, so every request needs this token (in the URL above): ${token}\n`,
      );
    if (flags.open === true)
      openBrowser(dashboard.url, ctx.env.browser, (line) => ctx.stderr.write(`${line}\n`));
    await body({
      progress: {
        update: (w, latest, run, soFar) => {
          progress.update(w, latest, run, soFar);
          dashboard.update(w, latest, run, soFar);
        },
        finish: () => progress.finish(),
      },
      control,
      ended: (summary) => {
        endedAt = Date.now();
        dashboard.end(summary);
      },
    });
    const left = lingerSec(ctx, flags) * 1000 - (Date.now() - (endedAt ?? Date.now()));
    if (endedAt !== undefined && left > 0 && !ctx.interrupt.aborted) {
      ctx.stderr.write(
        `dashboard: the final state and the report stay at ${dashboard.url} for ${Math.ceil(left / 1000)} s (Ctrl-C to quit now)\n`,
      );
      await delay(left, undefined, { signal: ctx.interrupt }).catch(() => undefined);
    }
  } finally {
    await dashboard.close();
  }
}
