import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerCapacityCommand } from './capacity.js';
import { registerCheckCommand } from './check.js';
import { registerCompareCommand } from './compare.js';
import { registerControlCommand } from './control.js';
import { registerHistoryCommand } from './history.js';
import { registerMergeCommand } from './merge.js';
import { registerReportCommand } from './report.js';
import { registerRunCommand } from './run.js';
import { registerUrlCommand } from './url.js';

/** Every command registers itself; add report/compare/capacity here. */
export const COMMANDS: Array<(program: Command, ctx: CliContext) => void> = [
  registerRunCommand,
  registerCheckCommand,
  registerUrlCommand,
  registerControlCommand,
  registerMergeCommand,
  registerReportCommand,
  registerCompareCommand,
  registerCapacityCommand,
  registerHistoryCommand,
];
