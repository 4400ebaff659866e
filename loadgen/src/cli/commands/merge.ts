import type { Command } from 'commander';
import { formatResults } from '../../output/result-tables.js';
import { mergeSummaries } from '../../summary/merge-summaries.js';
import { readSummaryFile, writeSummaryFiles } from '../../summary/summary-files.js';
import type { CliContext } from '../cli-context.js';
import { exitCodeFor } from '../exit-codes.js';
import { defaultOutDir } from '../run-outcome.js';

export function registerMergeCommand(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description('combine segment/thread/machine summaries of one run into one, with exact percentiles')
    .argument('<summary...>', 'summary.json files')
    .option(
      '-o, --out <dir>',
      'where to write the merged summary.json and stats.csv (default results/<testid>)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ loadgen merge results/big-1-seg0of4/summary.json results/big-1-seg1of4/summary.json \\
      results/big-1-seg2of4/summary.json results/big-1-seg3of4/summary.json -o results/big-1

Thresholds are evaluated again on the merged data; exit code 99 when one fails.`,
    )
    .action((files: string[], flags: { out?: string }) => {
      const merged = mergeSummaries(files.map(readSummaryFile));
      const out = flags.out ?? defaultOutDir(ctx, merged.run.testid);
      ctx.stdout.write(formatResults(merged));
      const { summaryPath } = writeSummaryFiles(out, merged);
      ctx.stderr.write(`merged ${files.length} summaries into ${summaryPath}\n`);
      ctx.setExitCode(exitCodeFor({ run: { interrupted: false }, thresholds: merged.thresholds }));
    });
}
