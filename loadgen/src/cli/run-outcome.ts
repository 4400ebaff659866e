import { join } from 'node:path';
import { writeSummaryFiles } from '../model/summary-files.js';
import type { Summary } from '../model/summary-schema.js';
import { formatResults } from '../terminal/result-tables.js';
import type { CliContext } from './cli-context.js';
import { exitCodeFor } from './exit-codes.js';

/** Default results directory: $LOADGEN_OUT/<testid>, or ./results/<testid>. */
export function defaultOutDir(ctx: CliContext, testid: string): string {
  return join(ctx.env.outDir ?? 'results', testid);
}

/** Print the tables, write summary.json + stats.csv, set the exit code. */
export function reportOutcome(ctx: CliContext, summary: Summary, outDir: string | undefined): void {
  ctx.stdout.write(`\n${formatResults(summary)}`);
  if (outDir !== undefined) {
    const { summaryPath, csvPath } = writeSummaryFiles(outDir, summary);
    ctx.stderr.write(`wrote ${summaryPath} and ${csvPath}\n`);
  }
  if (summary.run.interrupted)
    ctx.stderr.write('interrupted: the summary covers the run up to the interrupt\n');
  const aborted = summary.run.aborted;
  if (aborted !== undefined) {
    ctx.stderr.write(
      `aborted at ${aborted.atSec} s by the threshold "${aborted.threshold}": the summary covers the run up to then\n`,
    );
  }
  ctx.setExitCode(exitCodeFor(summary));
}
