import type { Command } from 'commander';
import { LoadgenError } from '../../errors.js';
import type { HttpClientKind } from '../../model/http-client-kind.js';
import { loadJsonScenario, parseScenario, resolveRun } from '../../scenario/scenario-loader.js';
import { parseThreshold } from '../../thresholds/threshold-parser.js';
import {
  type CliContext,
  caOption,
  collect,
  durationArg,
  httpClientOption,
  INSECURE_WARNING,
  insecureOption,
  positiveArg,
  runTags,
  tagOption,
} from '../cli-context.js';
import { addDashboardOptions, type DashboardFlags } from '../run-dashboard.js';
import { runFromCli } from '../run-from-cli.js';

interface UrlFlags extends DashboardFlags {
  connections: number;
  duration: number;
  rate?: number;
  method: string;
  header?: string[];
  body?: string;
  threads?: number;
  out?: string;
  threshold?: string[];
  timeout: number;
  httpClient?: HttpClientKind;
  tag?: string[];
  ca?: string;
  insecure?: boolean;
}

function parseHeaders(lines: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines ?? []) {
    const i = line.indexOf(':');
    if (i <= 0) throw new LoadgenError('LG_USAGE', `-H "${line}" must be "Name: value"`);
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

export function registerUrlCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command('url')
    .description('hammer one URL (smoke checks, benchmarks): closed model with -c, or open model with -R')
    .argument('<url>', 'full URL, e.g. http://localhost:8000/livez')
    .option(
      '-c, --connections <n>',
      'connections (= virtual users in the closed model)',
      positiveArg('--connections'),
      10,
    )
    .option('-d, --duration <time>', 'run time', durationArg('--duration'), 10)
    .option(
      '-R, --rate <n>',
      'open model: requests per second, latency from the intended start (wrk2 -R)',
      positiveArg('--rate'),
    )
    .option('-m, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <line>', "request header 'Name: value', repeatable", collect)
    .option('-b, --body <text>', 'request body')
    .option('--threads <n>', 'worker threads', positiveArg('--threads'))
    .option('--timeout <time>', 'per-request timeout', durationArg('--timeout'), 10)
    .option('-o, --out <dir>', 'also write summary.json and stats.csv here')
    .option('--threshold <expr>', 'pass/fail rule, repeatable (see run --help)', collect)
    .addOption(httpClientOption())
    .addOption(tagOption())
    .addOption(caOption())
    .addOption(insecureOption());
  addDashboardOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ loadgen url http://localhost:8000/livez -c 50 -d 10s
  $ loadgen url http://localhost:8000/livez -R 2000 -c 50 -d 30s --threshold 'p99<50'
  $ loadgen url http://localhost:8000/api/login -m POST -H 'content-type: application/json' -b '{"username":"a","password":"b"}'

Exit codes: 0 ok, 2 bad input, 3 target unreachable, 4 cannot write results, 99 threshold failed, 130 interrupted.`,
    )
    .action(async (rawUrl: string, flags: UrlFlags) => {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        throw new LoadgenError('LG_USAGE', `"${rawUrl}" is not a URL (e.g. http://localhost:8000/livez)`);
      }
      flags.threshold?.forEach(parseThreshold);
      const tags = runTags(ctx, flags.tag);
      const method = flags.method.toUpperCase();
      const path = `${url.pathname}${url.search}`;
      const c = Math.ceil(flags.connections);
      const scenario = parseScenario(
        {
          name: 'url',
          steps: [
            {
              request: `${method} ${url.pathname}`,
              headers: parseHeaders(flags.header),
              ...(flags.body === undefined ? {} : { body: flags.body }),
            },
          ],
          model:
            flags.rate === undefined
              ? { type: 'closed', users: c, spawnRate: 1e9 }
              : {
                  type: 'open',
                  rate: flags.rate,
                  preAllocatedVUs: c,
                  maxVUs: Math.max(c, Math.ceil(flags.rate)),
                },
          duration: flags.duration,
          timeout: flags.timeout,
          thresholds: flags.threshold ?? [],
        },
        'url',
      );
      // The query string is not part of the endpoint label; keep it on the request.
      const step = scenario.steps[0];
      if (step !== undefined && url.search !== '') {
        step.name = step.request;
        step.request = `${method} ${path}`;
      }
      const config = resolveRun(await loadJsonScenario(scenario, 'url'), {
        target: url.origin,
        threads: flags.threads,
        httpClient: flags.httpClient,
        ca: flags.ca,
        insecure: flags.insecure,
      });
      config.connections = Math.max(1, Math.ceil(c / config.threads));
      config.tags = tags;
      ctx.stderr.write(
        `loadgen url ${method} ${url.href}: ${c} connections, ${flags.rate === undefined ? 'closed model' : `${flags.rate} req/s`}, ${flags.duration}s, ${config.httpClient} client\n`,
      );
      if (config.http.tls?.insecure === true) ctx.stderr.write(INSECURE_WARNING);
      await runFromCli(ctx, flags, config, flags.out);
    });
}
