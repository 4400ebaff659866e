#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import type { CliContext } from './cli/cli-context.js';
import { COMMANDS } from './cli/commands/index.js';
import { EXIT, EXIT_BY_CODE } from './cli/exit-codes.js';
import { tuneHeapGrowth } from './cli/gc-tuning.js';
import { LoadgenError } from './errors.js';
import { LOADGEN_VERSION } from './version.js';

// The composition root: the only place that reads process.env, argv and signals.

const interrupt = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
  signals++;
  if (signals > 1) process.exit(EXIT.interrupted);
  process.stderr.write(`\n${signal}: stopping users and writing the summary (again to quit at once)\n`);
  interrupt.abort();
};
// `loadgen run --help | head`: a closed pipe is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

tuneHeapGrowth(process.execArgv, process.env.NODE_OPTIONS);

const ctx: CliContext = {
  env: {
    target: process.env.LOADGEN_TARGET,
    metricsPort: process.env.LOADGEN_METRICS_PORT,
    metricsHost: process.env.LOADGEN_METRICS_HOST,
    outDir: process.env.LOADGEN_OUT,
    tags: process.env.LOADGEN_TAGS,
    browser: process.env.BROWSER,
    health: process.env.LOADGEN_HEALTH,
    dashboardToken: process.env.LOADGEN_DASHBOARD_TOKEN,
  },
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
  interrupt: interrupt.signal,
};

const program = new Command('loadgen')
  .description(
    'Load generator for the game API: closed and open models, HdrHistogram latencies (3 significant digits), losslessly mergeable summaries',
  )
  .version(LOADGEN_VERSION)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();
for (const register of COMMANDS) register(program, ctx);
for (const c of program.commands) c.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version print and exit 0; any other parse problem is bad usage.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof LoadgenError) {
    process.stderr.write(`loadgen: ${error.message}\n`);
    process.exitCode = EXIT_BY_CODE[error.code];
  } else {
    process.stderr.write(`loadgen: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.internal;
  }
}
// Done: let pending timers (none should remain) not hold the process.
process.removeListener('SIGINT', onSignal);
process.removeListener('SIGTERM', onSignal);
