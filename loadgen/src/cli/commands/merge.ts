import type { Command } from 'commander';
import { mergeSummaries } from '../../merge/merge-summaries.js';
import { readSummaryFile, writeSummaryFiles } from '../../model/summary-files.js';
import { formatResults } from '../../terminal/result-tables.js';
import type { CliContext } from '../cli-context.js';
import { exitCodeFor } from '../exit-codes.js';
import { defaultOutDir } from '../run-outcome.js';

export function registerMergeCommand(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description(
      'combine the segment summaries of one run into one (HdrHistograms added: 3 significant digits, nothing lost)',
    )
    .argument('<summary...>', 'summary.json files, one per segment')
    .option(
      '-o, --out <dir>',
      'where to write the merged summary.json and stats.csv (default results/<testid>)',
    )
    .option('--allow-partial', 'merge even when segments are missing; the result is marked partial', false)
    .addHelpText(
      'after',
      `
Examples:
  $ loadgen merge results/big-1-seg0of4/summary.json results/big-1-seg1of4/summary.json \\
      results/big-1-seg2of4/summary.json results/big-1-seg3of4/summary.json -o results/big-1

Refused (exit 2): summaries of different testids or scenarios, different window lengths or segment
counts, one segment twice, a missing segment (unless --allow-partial). Windows are lined up by
wall-clock time; run.merge records each segment's start and the largest start skew.
Thresholds are evaluated again on the merged data; exit code 99 when one fails.`,
    )
    .action((files: string[], flags: { out?: string; allowPartial: boolean }) => {
      const merged = mergeSummaries(files.map(readSummaryFile), {
        sources: files,
        allowPartial: flags.allowPartial,
      });
      const out = flags.out ?? defaultOutDir(ctx, merged.run.testid);
      ctx.stdout.write(formatResults(merged));
      const { summaryPath } = writeSummaryFiles(out, merged);
      const info = merged.run.merge;
      ctx.stderr.write(
        `merged ${files.length} summaries into ${summaryPath} (start skew ${info?.maxStartSkewMs ?? 0} ms)\n`,
      );
      if (info?.partial) {
        const n = info.parts[0]?.count;
        ctx.stderr.write(
          `PARTIAL: segment(s) ${info.missingSegments.map((i) => `${i}/${n}`).join(', ')} missing; the figures cover only what was merged\n`,
        );
      }
      ctx.setExitCode(exitCodeFor({ run: { interrupted: false }, thresholds: merged.thresholds }));
    });
}
