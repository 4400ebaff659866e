import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { LoadgenError } from '../../errors.js';
import { defaultAcceptedPath, readAccepted, writeAccepted } from '../../history/accepted-changes.js';
import { historyCsvFiles } from '../../history/history-csv.js';
import { METRICS, type MetricId } from '../../history/history-metrics.js';
import type { History, HistorySettings } from '../../history/history-types.js';
import { buildHistory, DEFAULT_HISTORY_SETTINGS } from '../../history/run-history.js';
import { collectRuns } from '../../history/summary-collection.js';
import { writeHistoryPage } from '../../report/write-history-page.js';
import { describeChange, formatHistory } from '../../terminal/format-history.js';
import {
  type CliContext,
  collect,
  fractionArg,
  intArg,
  nonNegativeArg,
  positiveArg,
} from '../cli-context.js';
import { EXIT } from '../exit-codes.js';

interface HistoryFlags {
  json?: boolean;
  csv?: string;
  html?: string;
  since?: string;
  last?: number;
  minChange: number;
  minChangeMs: number;
  minErrorPoints: number;
  maxP: number;
  accept?: string[];
  accepted?: string;
  failOn?: 'regression';
  failWithin: number;
  hold: number;
  gate: MetricId[];
}

const d = DEFAULT_HISTORY_SETTINGS;

function sinceArg(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(
      `--since "${value}" is not a date (try 2026-12-01 or 2026-12-01T08:00:00Z)`,
    );
  }
  return new Date(ms).toISOString();
}

function gateArg(value: string): MetricId[] {
  const ids = METRICS.map((m) => m.id as string);
  const picked = value.split(',').map((v) => v.trim());
  const unknown = picked.filter((v) => !ids.includes(v));
  if (unknown.length > 0 || picked.length === 0) {
    throw new InvalidArgumentError(
      `--gate takes figures among ${ids.join(', ')}; unknown: ${unknown.join(', ')}`,
    );
  }
  return picked as MetricId[];
}

function pValueArg(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p <= 1)) throw new InvalidArgumentError(`--max-p must be in (0, 1], got "${value}"`);
  return p;
}

/** `loadgen history`: every run under the results directories, as series, with change points. */
export function registerHistoryCommand(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description(
      'every run under the results directories as series of comparable runs, with the change points of each endpoint figure (when did it get slower, and is it real)',
    )
    .argument(
      '[dirs...]',
      'results directories, searched at any depth for summary.json (default $LOADGEN_OUT or results)',
    )
    .option('--json', 'print the whole history (series, figures per run, change points) as JSON')
    .option('--csv <dir>', 'write one CSV per series (Apache Otava reads them) and otava.yaml into <dir>')
    .option(
      '--html <file>',
      'write the history page: a chart per endpoint and figure, runs as points linking to their summary',
    )
    .option('--since <date>', 'only runs started at or after this date (ISO date or time)', sinceArg)
    .option('--last <n>', 'only the last n runs of each series', positiveArg('--last'))
    .addOption(
      new Option(
        '--min-change <share>',
        'smallest relative change of a figure that makes a change point (5% or 0.05)',
      )
        .argParser(fractionArg('--min-change', { allowZero: true, allowOverOne: true }))
        .default(d.minRelativeChange, `${d.minRelativeChange * 100}%`),
    )
    .addOption(
      new Option('--min-change-ms <ms>', 'and, for latency, the smallest change in milliseconds')
        .argParser(nonNegativeArg('--min-change-ms'))
        .default(d.minAbsoluteChange.ms),
    )
    .addOption(
      new Option(
        '--min-error-points <share>',
        'and, for error ratios, the smallest change in percentage points (1% or 0.01)',
      )
        .argParser(fractionArg('--min-error-points', { allowZero: true }))
        .default(d.minAbsoluteChange.ratio, `${d.minAbsoluteChange.ratio * 100}%`),
    )
    .addOption(
      new Option('--max-p <p>', "largest p-value of a change point (Student's t-test between its segments)")
        .argParser(pValueArg)
        .default(d.maxPValue),
    )
    .option(
      '--accept <testid>',
      'accept the changes that start at this run: they stop failing (repeatable; recorded)',
      collect,
    )
    .option(
      '--accepted <file>',
      'where accepted changes are kept (default <first dir>/history-accepted.json)',
    )
    .option(
      '--fail-on <what>',
      `exit ${EXIT.regression} when a regression starts within the last runs (only "regression")`,
      (v) => {
        if (v !== 'regression') throw new InvalidArgumentError('--fail-on takes "regression"');
        return v;
      },
    )
    .option(
      '--fail-within <runs>',
      'a regression fails when it starts within this many last runs of its series',
      positiveArg('--fail-within'),
      d.failWithin,
    )
    .option(
      '--hold <runs>',
      'and has held for at least this many runs, its first included',
      intArg('--hold'),
      d.holdRuns,
    )
    .addOption(
      new Option(
        '--gate <figures>',
        `the figures --fail-on judges, comma-separated (${METRICS.map((m) => m.id).join(', ')})`,
      )
        .argParser(gateArg)
        .default(d.gate, d.gate.join(',')),
    )
    .addHelpText(
      'after',
      `
A series = runs of one call pattern under one load model (closed or open); fault, tags and testid do
not matter. Change points: E-divisive means with Student's t-test, as Apache Otava finds them,
re-found over the whole series on every call (docs/reports.md, "Run history").
Exit codes: 0 done (or no recent regression with --fail-on), ${EXIT.regression} with --fail-on regression: a
regression of a --gate figure, not accepted, started within the last --fail-within runs of a series
and held for --hold runs; 2 bad input.

Examples:
  loadgen history                                   # every run under results/
  loadgen history ci-artifacts/*/results --fail-on regression
  loadgen history --accept bottleneck-20261207T120301   # a known change: stop failing on it
  loadgen history --html results/history.html --csv results/history-csv`,
    )
    .action(async (dirs: string[], flags: HistoryFlags) => {
      const roots = dirs.length > 0 ? dirs : [ctx.env.outDir ?? 'results'];
      const settings: HistorySettings = {
        maxPValue: flags.maxP,
        minRelativeChange: flags.minChange,
        minAbsoluteChange: { ms: flags.minChangeMs, ratio: flags.minErrorPoints, per_s: 0, value: 0 },
        failWithin: flags.failWithin,
        holdRuns: flags.hold,
        gate: flags.gate,
        ...(flags.since === undefined ? {} : { since: flags.since }),
        ...(flags.last === undefined ? {} : { last: flags.last }),
      };
      const collected = collectRuns(roots);
      for (const reason of collected.skipped) ctx.stderr.write(`left out: ${reason}\n`);
      const acceptedPath = flags.accepted ?? defaultAcceptedPath(roots[0] as string);
      const current = readAccepted(acceptedPath);
      const toAccept = flags.accept ?? [];
      const known = new Set(collected.runs.map((r) => r.summary.run.testid));
      const unknown = toAccept.filter((t) => !known.has(t));
      if (unknown.length > 0) {
        throw new LoadgenError(
          'LG_USAGE',
          `--accept ${unknown.join(', ')}: no such run under ${roots.join(', ')} (give the testid of the first run after the change, as the history prints it)`,
        );
      }
      const accepted = new Set([...current.accepted.map((a) => a.testid), ...toAccept]);
      const history = buildHistory({ collected, dirs: roots, settings, accepted, now: new Date() });
      if (toAccept.length > 0) recordAccepted(ctx, acceptedPath, current, toAccept, history);
      ctx.stdout.write(flags.json ? `${JSON.stringify(history, null, 2)}\n` : formatHistory(history));
      if (flags.csv !== undefined) writeCsv(ctx, flags.csv, history);
      if (flags.html !== undefined) {
        const written = await writeHistoryPage(flags.html, history);
        ctx.stderr.write(`wrote ${written.path} (${Math.round(written.bytes / 1024)} KB)\n`);
      }
      if (flags.failOn === 'regression' && history.failing.length > 0) ctx.setExitCode(EXIT.regression);
    });
}

function recordAccepted(
  ctx: CliContext,
  path: string,
  current: ReturnType<typeof readAccepted>,
  testids: readonly string[],
  history: History,
): void {
  const additions = testids.map((testid) => ({
    testid,
    changes: history.changePoints
      .filter((c) => c.testid === testid)
      .map((c) => `${c.series}: ${describeChange(c)}`),
  }));
  writeAccepted(path, current, additions, new Date());
  for (const a of additions) {
    ctx.stderr.write(
      a.changes.length === 0
        ? `accepted ${a.testid} in ${path}: no change point starts there now; it will silence one that does\n`
        : `accepted ${a.changes.length} change(s) starting at ${a.testid} in ${path}\n`,
    );
  }
}

function writeCsv(ctx: CliContext, dir: string, history: History): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const file of historyCsvFiles(history.series)) writeFileSync(join(dir, file.name), file.content);
  } catch (error) {
    throw new LoadgenError('LG_IO', `cannot write ${dir}: ${(error as Error).message}`, { cause: error });
  }
  ctx.stderr.write(`wrote ${history.series.length} CSV file(s) and otava.yaml to ${dir}\n`);
}
