import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type CompareRule,
  DEFAULT_COMPARE_RULE,
  parseTolerance,
  type Tolerance,
} from '../../compare/compare-rule.js';
import { compareSummaries } from '../../compare/compare-summaries.js';
import { readSummaryFile } from '../../model/summary-files.js';
import { formatComparison } from '../../terminal/format-comparison.js';
import { type CliContext, intArg, positiveArg } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';

interface CompareFlags {
  failOn?: 'regressed';
  p50: Tolerance;
  p95: Tolerance;
  p99: Tolerance;
  minSamples: number;
  errorPoints: number;
  json?: boolean;
}

const toleranceArg =
  (flag: string, fallback: Tolerance) =>
  (value: string): Tolerance => {
    const t = parseTolerance(value, fallback);
    if (t === undefined) throw new InvalidArgumentError(`${flag} "${value}" should look like 10%,5ms`);
    return t;
  };

const tolerance = (flag: string, description: string, fallback: Tolerance): Option =>
  new Option(`${flag} <tol>`, description)
    .argParser(toleranceArg(flag, fallback))
    .default(fallback, `${fallback.relative * 100}%,${fallback.absoluteMs}ms`);

/** `loadgen compare`: per-endpoint verdicts of a candidate run against a baseline. */
export function registerCompareCommand(program: Command, ctx: CliContext): void {
  const d = DEFAULT_COMPARE_RULE;
  program
    .command('compare')
    .description(
      'judge a candidate run against a baseline, endpoint by endpoint: regressed, improved or unchanged',
    )
    .argument('<baseline>', 'baseline summary.json')
    .argument('<candidate>', 'candidate summary.json')
    .option(
      '--fail-on <verdict>',
      `exit ${EXIT.thresholds} when an endpoint has this verdict (only "regressed")`,
      (v) => {
        if (v !== 'regressed') throw new InvalidArgumentError('--fail-on takes "regressed"');
        return v;
      },
    )
    .addOption(tolerance('--p50', 'p50 tolerance, relative and absolute: both must be exceeded', d.p50))
    .addOption(tolerance('--p95', 'p95 tolerance', d.p95))
    .addOption(tolerance('--p99', 'p99 tolerance (marked only, never decides alone)', d.p99))
    .option(
      '--min-samples <n>',
      'requests needed on each side for a verdict',
      intArg('--min-samples'),
      d.minSamples,
    )
    .option(
      '--error-points <pp>',
      'error-rate rise (percentage points) that counts',
      positiveArg('--error-points'),
      d.errorRatePoints,
    )
    .option('--json', 'print the comparison as JSON')
    .addHelpText(
      'after',
      `
Rule (docs/reports.md): a change counts only when larger than BOTH tolerances, and still so
between the ends of the two percentiles' 95% confidence intervals (small samples move less).
Exit codes: 0 done (or nothing regressed with --fail-on), ${EXIT.thresholds} regressed with --fail-on regressed, 2 bad input.

Examples:
  loadgen compare results/baseline-X/summary.json results/bottleneck-Y/summary.json
  loadgen compare base.json cand.json --p95 10%,5ms --fail-on regressed`,
    )
    .action((baselinePath: string, candidatePath: string, flags: CompareFlags) => {
      const rule: CompareRule = {
        ...d,
        p50: flags.p50,
        p95: flags.p95,
        p99: flags.p99,
        minSamples: flags.minSamples,
        errorRatePoints: flags.errorPoints,
      };
      const comparison = compareSummaries(
        readSummaryFile(baselinePath),
        readSummaryFile(candidatePath),
        rule,
      );
      ctx.stdout.write(
        flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${formatComparison(comparison)}\n`,
      );
      if (flags.failOn === 'regressed' && comparison.regressed.length > 0) ctx.setExitCode(EXIT.thresholds);
    });
}
