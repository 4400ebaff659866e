import type { Command } from 'commander';
import { parseSegment } from '../../engine/segment.js';
import type { HttpClientKind } from '../../model/http-client-kind.js';
import { describeModel } from '../../model/load-model-text.js';
import { START_AT_TOLERANCE_MS } from '../../run/run-scenario.js';
import { parseStartAt } from '../../run/start-at.js';
import { loadScenario, presetNames, resolveRun } from '../../scenario/scenario-loader.js';
import { parseThreshold } from '../../thresholds/threshold-parser.js';
import {
  type CliContext,
  caOption,
  collect,
  durationArg,
  httpClientOption,
  INSECURE_WARNING,
  insecureOption,
  intArg,
  positiveArg,
  runTags,
  tagOption,
} from '../cli-context.js';
import { addDashboardOptions, type DashboardFlags } from '../run-dashboard.js';
import { runFromCli } from '../run-from-cli.js';
import { defaultOutDir } from '../run-outcome.js';

interface RunFlags extends DashboardFlags {
  target?: string;
  testid?: string;
  label?: string;
  duration?: number;
  users?: number;
  spawnRate?: number;
  rate?: number;
  threads?: number;
  segment?: string;
  out?: string;
  threshold?: string[];
  metricsPort?: number;
  metricsHost?: string;
  metricsLinger: number;
  httpClient?: HttpClientKind;
  startAt?: string;
  tag?: string[];
  ca?: string;
  insecure?: boolean;
}

export function registerRunCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command('run')
    .description(
      'run a scenario (a preset name, a scenario .ts script or a scenario .json file) against a target',
    )
    .argument('<scenario>', `preset (${presetNames().join(', ')}) or path to a scenario .ts or .json file`)
    .option('-t, --target <url>', 'base URL of the API under test (env LOADGEN_TARGET)')
    .option('--testid <id>', 'name of this run in metrics and summaries (default <label>-<UTC timestamp>)')
    .option('--label <name>', "scenario label on metrics (default: the scenario's label)")
    .option(
      '-d, --duration <time>',
      'run time, e.g. 60s, 5m (overrides the scenario)',
      durationArg('--duration'),
    )
    .option('-u, --users <n>', 'closed model: peak virtual users', positiveArg('--users'))
    .option('-r, --spawn-rate <n>', 'closed model: users started per second', positiveArg('--spawn-rate'))
    .option('--rate <n>', 'open model: iterations started per second (peak)', positiveArg('--rate'))
    .option('--threads <n>', 'worker threads sharing the load on this machine', positiveArg('--threads'))
    .option('--segment <i/n>', 'run share i of n (0-based) for distributed runs; merge the summaries after')
    .option(
      '--start-at <time>',
      'start the users at this wall-clock instant (ISO time with zone, or epoch ms); give every segment the same one',
    )
    .option('-o, --out <dir>', 'results directory (default $LOADGEN_OUT/<testid> or results/<testid>)')
    .option(
      '--threshold <expr>',
      "pass/fail rule, repeatable (replaces the scenario's): p95<500, errors<1%, 'GET /api/users:p95<200', 'join room:p95<200', checks>99%, script_errors<1%; append ' abort [after 10s]' to stop the run when it fails",
      collect,
    )
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics on this port (env LOADGEN_METRICS_PORT)',
      intArg('--metrics-port'),
    )
    .option(
      '--metrics-host <address>',
      'address the metrics listen on (env LOADGEN_METRICS_HOST; default 0.0.0.0, every interface, for a Prometheus in a container; 127.0.0.1 keeps them to this machine)',
    )
    .option(
      '--metrics-linger <sec>',
      'keep serving metrics after the run so the last samples are scraped',
      durationArg('--metrics-linger', { allowZero: true }),
      10,
    )
    .addOption(httpClientOption())
    .addOption(tagOption())
    .addOption(caOption())
    .addOption(insecureOption());
  addDashboardOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ loadgen run baseline --target http://localhost:8000
  $ loadgen run stress -t http://localhost:8000 --duration 2m --threshold 'p95<500' --threshold 'errors<1%'
  $ loadgen run ./my-scenario.json --rate 200 --threads 2 --metrics-port 9464
  $ loadgen run baseline -t http://localhost:8000 --tag commit=$(git rev-parse HEAD) --tag branch=main
  $ loadgen run ./checkout.ts -t https://staging.test:8443 --ca ./staging-ca.pem
  $ loadgen run baseline -t http://api:8000 --testid big-1 --segment 0/4 --start-at 2026-11-24T16:30:00Z
      # the same --testid and --start-at on every machine, then: loadgen merge results/big-1*/summary.json
  $ loadgen run baseline -t http://localhost:8000 --dashboard --open
      # watch and steer it at http://127.0.0.1:5665/; loadgen control http://127.0.0.1:5665/ --users 50

Flags override the scenario file. --users / --rate on a ramp/step/spike/burst profile scale it to that peak.
https:// targets run on undici, with Node's root certificates: a test target's own CA is trusted with --ca
(or the scenario's http.ca); --insecure verifies nothing and says so at the start, at the end and in summary.json.
A change from the dashboard (or loadgen control) replaces what is left of the profile with a constant at the new value.
Exit codes: 0 ok, 2 bad input, 3 target unreachable, 4 cannot write results, 99 threshold failed, 130 interrupted.`,
    )
    .action(async (scenarioRef: string, flags: RunFlags) => {
      const thresholds = flags.threshold;
      thresholds?.forEach(parseThreshold);
      const tags = runTags(ctx, flags.tag);
      const scenario = await loadScenario(scenarioRef);
      const config = resolveRun(scenario, {
        target: flags.target ?? ctx.env.target,
        testid: flags.testid,
        label: flags.label,
        durationSec: flags.duration,
        users: flags.users,
        spawnRate: flags.spawnRate,
        rate: flags.rate,
        threads: flags.threads,
        segment: flags.segment === undefined ? undefined : parseSegment(flags.segment),
        thresholds,
        httpClient: flags.httpClient,
        ca: flags.ca,
        insecure: flags.insecure,
      });
      config.thresholds.forEach(parseThreshold);
      config.tags = tags;
      if (flags.startAt !== undefined)
        config.startAtEpochMs = parseStartAt(flags.startAt, Date.now(), START_AT_TOLERANCE_MS);
      const segTag = config.segment.count > 1 ? `-seg${config.segment.index}of${config.segment.count}` : '';
      const outDir = flags.out ?? defaultOutDir(ctx, config.testid + segTag);
      const metricsPort =
        flags.metricsPort ??
        (ctx.env.metricsPort === undefined ? undefined : intArg('LOADGEN_METRICS_PORT')(ctx.env.metricsPort));
      const m = config.model;
      ctx.stderr.write(
        `loadgen ${config.testid}: ${config.name} (${config.label}) -> ${config.target}, ${describeModel(m)}, ${config.profile.type} for ${config.durationSec}s${config.threads > 1 ? `, ${config.threads} threads` : ''}${
          config.segment.count > 1 ? `, segment ${config.segment.index}/${config.segment.count}` : ''
        }\n`,
      );
      if (config.http.tls?.insecure === true) ctx.stderr.write(INSECURE_WARNING);
      await runFromCli(ctx, flags, config, outDir, {
        log: (line) => ctx.stderr.write(`${line}\n`),
        metricsPort,
        metricsHost: flags.metricsHost ?? (ctx.env.metricsHost || undefined),
        metricsLingerSec: flags.metricsLinger,
      });
    });
}
