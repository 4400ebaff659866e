import type { Command } from 'commander';
import { LoadgenError } from '../../errors.js';
import { readSummaryFile } from '../../model/summary-files.js';
import type { Summary } from '../../model/summary-schema.js';
import { findLatestRuns } from '../../report/find-latest-runs.js';
import { writeReport } from '../../report/write-report.js';
import { presetNames } from '../../scenario/scenario-loader.js';
import { type CliContext, positiveArg } from '../cli-context.js';

interface ReportFlags {
  out: string;
  latest?: string;
  /** Undefined: every preset's label (defaultLabels), and no word about those that have no run. */
  scenarios?: string;
  title?: string;
  slaP95?: number;
  users?: number;
}

/**
 * The labels `--latest` looks for unless told: every preset's (each preset's label is its name),
 * baseline first, as it is the run the others' deltas are against.
 */
function defaultLabels(): string[] {
  const presets = presetNames();
  return presets.includes('baseline') ? ['baseline', ...presets.filter((p) => p !== 'baseline')] : presets;
}

/** `loadgen report`: several summaries side by side in one self-contained HTML page. */
export function registerReportCommand(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description(
      'write one self-contained HTML page (opens offline) showing runs side by side, deltas vs the first',
    )
    .argument('[summaries...]', 'summary.json files; the first is the reference for deltas')
    .option('-o, --out <file>', 'HTML file to write', 'report.html')
    .option(
      '--latest <dir>',
      'take the newest run of each --scenarios label from <dir>/<testid>/summary.json',
    )
    .option(
      '--scenarios <labels>',
      'comma-separated labels for --latest, in column order (every preset, baseline first, unless given)',
    )
    .option('--title <text>', 'page title')
    .option(
      '--sla-p95 <ms>',
      'p95 SLA for the capacity section of step runs (default 500)',
      positiveArg('--sla-p95'),
    )
    .option('--users <n>', 'population for the capacity plan (default 1000000)', positiveArg('--users'))
    .addHelpText(
      'after',
      `
Examples:
  loadgen report results/baseline-*/summary.json results/bottleneck-*/summary.json -o report.html
  loadgen report --latest results -o results/report.html     (what npm run report does)

Exit codes: 0 written, 2 bad input (a summary that does not read, no run found), 4 cannot write the page.`,
    )
    .action(async (paths: string[], flags: ReportFlags) => {
      const summaries: Summary[] = paths.map((p) => readSummaryFile(p));
      if (flags.latest !== undefined) {
        const labels = (flags.scenarios ?? defaultLabels().join(','))
          .split(',')
          .map((l) => l.trim())
          .filter((l) => l !== '');
        const latest = findLatestRuns(flags.latest, labels);
        for (const reason of latest.skipped) ctx.stderr.write(`skipped ${reason}\n`);
        for (const run of latest.runs) ctx.stderr.write(`${run.label}: ${run.path}\n`);
        // Labels the user named and found no run are worth a word; presets never run are not.
        if (flags.scenarios !== undefined && latest.missing.length > 0)
          ctx.stderr.write(`no run found for: ${latest.missing.join(', ')}\n`);
        summaries.push(...latest.runs.map((r) => r.summary));
      }
      if (summaries.length === 0) {
        throw new LoadgenError(
          'LG_USAGE',
          'report: give summary.json files or --latest <dir> with runs in it',
        );
      }
      const written = await writeReport(flags.out, summaries, {
        ...(flags.title !== undefined ? { title: flags.title } : {}),
        ...(flags.slaP95 !== undefined ? { slaP95Ms: flags.slaP95 } : {}),
        ...(flags.users !== undefined ? { users: flags.users } : {}),
      });
      ctx.stdout.write(
        `wrote ${written.path} (${Math.round(written.bytes / 1024)} KB): ${summaries.map((s) => s.run.testid).join(', ')}\n`,
      );
    });
}
