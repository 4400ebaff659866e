#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ensureComposeSecrets } from './compose/compose-env.js';
import { findAdminToken } from './config/admin-token.js';
import { isLoopbackHost } from './config/loopback-host.js';
import { findMetricsHost } from './config/metrics-host.js';
import { loadRunEnv } from './config/run-env.js';
import { checkDashboards } from './dashboards/check-dashboards.js';
import { loadDashboards } from './dashboards/dashboard-queries.js';
import { PrometheusApi } from './dashboards/prometheus-api.js';
import { LabError, labErrorFrom } from './errors.js';
import { LAB_EXIT } from './exit-codes.js';
import { defaultApiHost, localLabStatus, startLocalLab, stopLocalLab } from './local/local-lab.js';
import { repoPath, repoRoot } from './repo-paths.js';
import { checkoutRevision } from './runs/checkout-revision.js';
import { runPreset } from './runs/run-preset.js';

/** The lab's command line: a thin shell over local/, runs/ and dashboards/ (docs/lab.md). */
// A closed pipe (`lab local status | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
const log = (line: string) => process.stdout.write(`${line}\n`);
const defaultDir = repoPath('.lab');
const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new LabError('LAB_BAD_INPUT', `not a port: ${v}`);
  return n;
};

const program = new Command('lab')
  .description('Game Load Lab: the local lab, the baseline/stress/bottleneck runs, dashboard checks')
  .showHelpAfterError();

const local = program
  .command('local')
  .description('the lab without Docker: MariaDB, Redis, game-api, Prometheus');

local
  .command('up')
  .description('start the local lab on free ports and print the URLs and env for the npm scripts')
  .option('--dir <dir>', 'state, data and logs', defaultDir)
  .option('--scrape-interval <duration>', 'Prometheus scrape and rule interval', '5s')
  .option('--api-port <port>', 'game-api port to try first', port, 8000)
  .addOption(
    new Option(
      '--api-host <address>',
      'address game-api listens on; 0.0.0.0 opens it (and its fault switch) to the network',
    )
      .env('LAB_API_HOST')
      .default(defaultApiHost),
  )
  .option('--prometheus-port <port>', 'Prometheus port to try first', port, 9090)
  .option('--loadgen-metrics-port <port>', 'loadgen metrics port to try first', port, 9464)
  .action(
    async (o: {
      dir: string;
      scrapeInterval: string;
      apiPort: number;
      apiHost: string;
      prometheusPort: number;
      loadgenMetricsPort: number;
    }) => {
      const state = await startLocalLab({
        dir: o.dir,
        scrapeInterval: o.scrapeInterval,
        ports: { api: o.apiPort, prometheus: o.prometheusPort, loadgenMetrics: o.loadgenMetricsPort },
        apiHost: o.apiHost,
        env: process.env,
        log,
      });
      log('\nlocal lab is up');
      log(
        `  game-api    ${state.urls.api}  (listening on ${o.apiHost}; admin token: ${state.env.ADMIN_TOKEN})`,
      );
      if (!isLoopbackHost(o.apiHost)) {
        log(
          `              open to the network on ${o.apiHost}: whoever reaches it there can use it, and its fault switch with the token`,
        );
      }
      log(`  Prometheus  ${state.urls.prometheus}`);
      log(`  loadgen metrics are scraped from ${state.urls.loadgenMetrics}`);
      log(`\npoint the npm scripts at it (also written to ${state.dir}/env):`);
      for (const [k, v] of Object.entries(state.env)) log(`  export ${k}=${JSON.stringify(v)}`);
      log('\nthen: npm run baseline; npm run stress; npm run bottleneck; stop with: npm run lab:local:down');
    },
  );

local
  .command('down')
  .description('stop the local lab (data is kept unless --purge)')
  .option('--dir <dir>', 'state, data and logs', defaultDir)
  .option('--purge', 'also delete the data directories and logs', false)
  .action(async (o: { dir: string; purge: boolean }) => {
    const results = await stopLocalLab(o.dir, o.purge);
    if (!results.length) log(`no local lab recorded in ${o.dir}`);
    for (const r of results) log(`  ${r.name.padEnd(10)} pid ${r.pid}: ${r.outcome}`);
  });

local
  .command('status')
  .description('show what the local lab runs and the env to use it')
  .option('--dir <dir>', 'state, data and logs', defaultDir)
  .action(async (o: { dir: string }) => {
    const status = await localLabStatus(o.dir);
    if (!status)
      throw new LabError('LAB_NOT_RUNNING', `no local lab recorded in ${o.dir}: npm run lab:local`);
    for (const p of status.state.processes) {
      log(
        `  ${p.name.padEnd(10)} pid ${p.pid} port ${p.port}: ${status.running[p.name] ? 'running' : 'NOT running'}`,
      );
    }
    for (const [k, v] of Object.entries(status.state.env)) log(`  export ${k}=${JSON.stringify(v)}`);
    if (Object.values(status.running).some((r) => !r)) process.exitCode = LAB_EXIT.notRunning;
  });

program
  .command('run')
  .description(
    'run a loadgen preset (baseline, stress, bottleneck, ...) against TARGET_URL; bottleneck turns the fault on for the run',
  )
  .argument('<preset>', 'loadgen preset name or scenario file')
  .argument('[loadgen-args...]', 'more loadgen run flags, e.g. --duration 30s --users 20')
  .allowUnknownOption()
  .addHelpText(
    'after',
    '\nEnvironment: TARGET_URL (http://localhost:8000), LOADGEN_METRICS_PORT (9464), GRAFANA_URL (http://localhost:3000;\n' +
      '  linked only when a Grafana answers there), PROMETHEUS_URL, RESULTS_DIR (results/), BOTTLENECK_DELAY_MS (1000),\n' +
      "  BOTTLENECK_ROUTE, BOTTLENECK_MODE, ADMIN_TOKEN (no default: else the local lab's from .lab/env when TARGET_URL\n" +
      "  is that lab's game-api, else the compose lab's from .env beside docker-compose.yml).",
  )
  .action(async (preset: string, extraArgs: string[]) => {
    let interrupted = false;
    // Held for the whole command: the fault must be restored even when Ctrl-C comes early.
    const hold = () => {
      interrupted = true;
    };
    process.on('SIGINT', hold);
    process.on('SIGTERM', hold);
    const targetEnv = loadRunEnv(process.env);
    const metricsHost = await findMetricsHost({
      env: process.env,
      targetUrl: targetEnv.TARGET_URL,
      localLabEnvFile: `${defaultDir}/env`,
    });
    const env = metricsHost === undefined ? targetEnv : { ...targetEnv, LOADGEN_METRICS_HOST: metricsHost };
    const adminToken = await findAdminToken({
      env: process.env,
      targetUrl: env.TARGET_URL,
      localLabEnvFile: `${defaultDir}/env`,
      composeEnvFile: repoPath('.env'),
    });
    const result = await runPreset({
      preset,
      extraArgs,
      env,
      adminToken,
      now: () => new Date(),
      log,
      interrupted: () => interrupted,
      revision: await checkoutRevision(repoRoot),
    });
    // loadgen's code passes through unchanged: the two tables share their numbers (src/exit-codes.ts).
    process.exitCode = result.interrupted ? LAB_EXIT.interrupted : result.exitCode;
  });

program
  .command('compose-env')
  .description(
    'npm run lab:up, before docker compose up: give the compose lab its admin token, JWT secret and password pepper (new ones in .env when none is set)',
  )
  .option('--file <path>', 'the .env compose reads (beside docker-compose.yml)', repoPath('.env'))
  .action(async (o: { file: string }) => {
    const { file, outcomes } = await ensureComposeSecrets(o.file, process.env);
    for (const [name, outcome] of Object.entries(outcomes)) {
      if (outcome === 'environment') log(`${name}: from your environment (compose prefers it to ${file})`);
      else log(`${name}: ${outcome === 'created' ? 'a new one written to' : 'kept in'} ${file}`);
    }
    log(
      '  compose and the run scripts (npm run bottleneck) read them there; PUT /admin/fault needs ADMIN_TOKEN',
    );
  });

program
  .command('check-dashboards')
  .description(
    'run every dashboard query against Prometheus for the given runs and report the ones without data',
  )
  .requiredOption('--testid <ids...>', 'runs to select, as in the dashboard variable')
  .option('--prometheus <url>', 'Prometheus base URL', process.env.PROMETHEUS_URL ?? 'http://localhost:9090')
  .addOption(new Option('--minutes <n>', 'how far back the range starts').default(60).argParser(Number))
  .action(async (o: { testid: string[]; prometheus: string; minutes: number }) => {
    const end = Date.now() / 1000;
    const checks = await checkDashboards(new PrometheusApi(o.prometheus), await loadDashboards(), o.testid, {
      start: end - o.minutes * 60,
      end,
      stepSeconds: 15,
      scrapeIntervalSeconds: 5,
    });
    let bad = 0;
    for (const c of checks) {
      const problem = !c.ok
        ? c.error
        : c.series === 0
          ? 'no data'
          : c.runsWithoutData.length
            ? `no data for ${c.runsWithoutData.join(', ')}`
            : '';
      if (problem) bad++;
      log(`${problem ? 'FAIL' : 'ok  '} ${c.dashboard} / ${c.source} [${c.refId}] ${problem ?? ''}`);
    }
    log(`${checks.length - bad} passed, ${bad} failed`);
    if (bad) process.exitCode = LAB_EXIT.dashboardsWithoutData;
  });

program.parseAsync(process.argv).catch((thrown: unknown) => {
  const err = labErrorFrom(thrown);
  if (err instanceof LabError) {
    process.stderr.write(`lab: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  process.stderr.write(
    `lab: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(LAB_EXIT.internal);
});
