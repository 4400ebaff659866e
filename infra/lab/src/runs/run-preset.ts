import { access } from 'node:fs/promises';
import type { AdminToken } from '../config/admin-token.js';
import type { RunEnv } from '../config/run-env.js';
import { dashboardUrl, grafanaAnswers, prometheusGraphUrl } from './dashboard-links.js';
import { FaultClient } from './fault-client.js';
import { withFault } from './fault-toggle.js';
import { runLoadgen } from './loadgen-process.js';
import { makeTestId } from './testid.js';

interface PresetRunOptions {
  preset: string;
  /** Extra loadgen flags (`--duration 10s`, `--users 30`, ...); they override the preset's. */
  extraArgs: string[];
  env: RunEnv;
  /** For the bottleneck's PUT /admin/fault (config/admin-token.ts finds it); none: the run says where. */
  adminToken: AdminToken | undefined;
  now: () => Date;
  log: (line: string) => void;
  /** True once the user pressed Ctrl-C (the CLI holds SIGINT for the whole command). */
  interrupted: () => boolean;
  /** The checkout's commit (checkout-revision.ts), passed as `--tag commit=...`; undefined: no tag. */
  revision?: string;
}

interface PresetRunResult {
  testid: string;
  outDir: string;
  exitCode: number;
  interrupted: boolean;
  startedAt: Date;
  endedAt: Date;
}

/**
 * `npm run baseline|stress|bottleneck`: one loadgen preset against TARGET_URL with a testid
 * naming the scenario and time; `bottleneck` also switches the fault on for the run.
 */
export async function runPreset(o: PresetRunOptions): Promise<PresetRunResult> {
  const startedAt = o.now();
  const testid = makeTestId(o.preset, startedAt);
  const outDir = `${o.env.RESULTS_DIR}/${testid}`;
  const args = [
    'run',
    o.preset,
    '--target',
    o.env.TARGET_URL,
    '--testid',
    testid,
    '--out',
    outDir,
    '--metrics-port',
    String(o.env.LOADGEN_METRICS_PORT),
    '--metrics-host',
    o.env.LOADGEN_METRICS_HOST,
    // Before the user's flags: a --tag commit=... of theirs wins (loadgen keeps a key's last value).
    ...(o.revision === undefined ? [] : ['--tag', `commit=${o.revision}`]),
    ...o.extraArgs,
  ];
  o.log(`run ${testid}: ${o.preset} against ${o.env.TARGET_URL}`);
  const grafana = await grafanaAnswers(o.env.GRAFANA_URL);
  o.log(
    `  live:    ${grafana ? dashboardUrl(o.env.GRAFANA_URL, testid, 'now-15m', 'now') : prometheusGraphUrl(o.env.PROMETHEUS_URL, testid)}`,
  );
  if (!grafana) {
    o.log(
      `  grafana: none answers at ${o.env.GRAFANA_URL} (GRAFANA_URL); the Grafana dashboards come with the compose lab (npm run lab:up)`,
    );
  }
  o.log(`  metrics: http://127.0.0.1:${o.env.LOADGEN_METRICS_PORT}/metrics (scraped by Prometheus)`);
  // With `-- --dashboard`, loadgen itself prints `dashboard: <url>` (with its token off loopback)
  // on this terminal before the run starts: its line, not a guess from the flags, has the real port.
  const go = async () => {
    if (o.interrupted()) return { code: 130, interrupted: true };
    return runLoadgen({
      bin: o.env.LOADGEN_BIN,
      args,
      onInterrupt: (s) => o.log(`${s}: stopping loadgen (it writes its summary first)`),
    });
  };
  const exit =
    o.preset === 'bottleneck'
      ? await withFault(
          new FaultClient(o.env.TARGET_URL, o.adminToken),
          { delayMs: o.env.BOTTLENECK_DELAY_MS, route: o.env.BOTTLENECK_ROUTE, mode: o.env.BOTTLENECK_MODE },
          o.log,
          go,
        )
      : await go();
  const endedAt = o.now();
  const from = new Date(startedAt.getTime() - 60_000);
  const to = new Date(endedAt.getTime() + 60_000);
  // loadgen: 0 passed, 99 a threshold failed (the run itself completed), 130 interrupted.
  const outcome = exit.interrupted
    ? 'interrupted'
    : exit.code === 0 || exit.code === 99
      ? 'finished'
      : 'failed';
  o.log(
    `run ${testid} ${outcome} (loadgen exit ${exit.code}${exit.code === 99 ? ': a threshold failed' : ''})`,
  );
  const summary = `${outDir}/summary.json`;
  const written = await access(summary).then(
    () => true,
    () => false,
  );
  const result = { testid, outDir, exitCode: exit.code, interrupted: exit.interrupted, startedAt, endedAt };
  if (!written) {
    o.log("  no summary written (see loadgen's message above)");
    return result;
  }
  o.log(`  summary:   ${summary}`);
  if (grafana) o.log(`  dashboard: ${dashboardUrl(o.env.GRAFANA_URL, testid, from, to)}`);
  o.log(`  prometheus: ${prometheusGraphUrl(o.env.PROMETHEUS_URL, testid)}`);
  return result;
}
