import { type Command, Option } from 'commander';
import { DEFAULT_CAPACITY_OPTIONS, planCapacity } from '../../capacity/capacity-plan.js';
import { readSummaryFile } from '../../model/summary-files.js';
import { formatCapacity } from '../../terminal/format-capacity.js';
import { type CliContext, collect, fractionArg, positiveArg } from '../cli-context.js';

interface CapacityFlags {
  users: number;
  slaP95: number;
  maxErrors: number;
  concurrent: number;
  headroom: number;
  includeSetup?: boolean;
  exclude?: string[];
  json?: boolean;
}

const share = (
  flags: string,
  description: string,
  allowZero: boolean,
  fallback: number,
  shown: string,
): Option =>
  new Option(flags, description)
    .argParser(fractionArg(flags.split(' ')[0] as string, { allowZero }))
    .default(fallback, shown);

/** `loadgen capacity`: the step run's table, knee, saturation and a plan for a population. */
export function registerCapacityCommand(program: Command, ctx: CliContext): void {
  const d = DEFAULT_CAPACITY_OPTIONS;
  program
    .command('capacity')
    .description(
      'analyse a step run per step, find the knee and plan API instances, DB connections and Redis ops for a population',
    )
    .argument('<summary>', 'summary.json of a step run (loadgen run step)')
    .option('--users <n>', 'target population of players', positiveArg('--users'), d.users)
    .option(
      '--sla-p95 <ms>',
      'p95 SLA in ms: the knee is the last step under it',
      positiveArg('--sla-p95'),
      d.slaP95Ms,
    )
    .addOption(
      share(
        '--max-errors <pct>',
        'failure rate over which a step is past the knee',
        true,
        d.maxFailureRate,
        '1%',
      ),
    )
    .addOption(
      share(
        '--concurrent <share>',
        'share of the population playing at once (e.g. 10%)',
        false,
        d.concurrentShare,
        '100%',
      ),
    )
    .addOption(
      share(
        '--headroom <share>',
        'spare capacity kept on every resource (e.g. 30%)',
        true,
        d.headroom,
        '30%',
      ),
    )
    .option(
      '--include-setup',
      'count the endpoints the users called in their setup too (register, log in...)',
    )
    .option('--exclude <endpoint>', 'also leave this endpoint out of the step figures (repeatable)', collect)
    .option('--json', 'print the analysis as JSON')
    .addHelpText(
      'after',
      `
Needs: the summary.json of a run with a step profile (\`loadgen run step\`, or a scenario whose
profile is { type: 'step' }): the users rise in steps, and each step's steady windows are measured.
Prints: a table of the steps (users scheduled and playing, requests, failures, mean and p95 ms, req/s), the knee
(the last step under --sla-p95 and --max-errors), the saturation (the most req/s any step reached),
a capacity plan for --users players (API instances, requests in flight, each declared resource),
and the assumptions behind it; --json prints the same analysis as JSON.

Method (docs/reports.md): per-player req/s (the lightest step's req/s ÷ its users playing, i.e.
in their loop after setup) × players = needed req/s; instances = needed ÷ (knee req/s ×
(1 − headroom)); Little's law gives the requests in flight. A step whose users never all
finished their setup is marked: setup could not keep up.

Resources: the plan sizes every resource the scenario declared behind the target (in its
options.server), from the per-request costs it gave, both recorded in the summary
(run.resources, run.costs):
  server: {
    resources: {                      // name: { kind, perMachine?, label?, defaultCost? }
      mysql: { kind: 'pool', perMachine: 151, label: 'MySQL connections', defaultCost: 1 },
      redis: { kind: 'ops', label: 'Redis commands' },
    },
    costs: { 'GET /api/me': { mysql: 1, redis: 7 } },   // per request of each endpoint
  }
A pool is held while a request runs (Little's law: req/s × mean latency × cost); ops are sent
(req/s × cost, per second). perMachine (a pool's units, ops per second) gives a machine count;
an endpoint the costs do not list costs defaultCost (default 0). The old per-endpoint form
{ 'GET /api/me': { mysql: true, redisOps: 7 } } is still read as resources mysql and redis.

Exit codes: 0 done, 2 bad input (not a step run, no step to analyse, a bad share or number).

Examples:
  loadgen capacity results/step-20261122T101500/summary.json
  loadgen capacity step.json --users 1000000 --concurrent 5% --sla-p95 300`,
    )
    .action((path: string, flags: CapacityFlags) => {
      const report = planCapacity(readSummaryFile(path), {
        users: flags.users,
        slaP95Ms: flags.slaP95,
        maxFailureRate: flags.maxErrors,
        concurrentShare: flags.concurrent,
        headroom: flags.headroom,
        includeSetup: flags.includeSetup === true,
        exclude: flags.exclude ?? [],
      });
      ctx.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCapacity(report)}\n`);
    });
}
