import type { Command } from 'commander';
import { LoadgenError } from '../../errors.js';
import { describeModel } from '../../model/load-model-text.js';
import { loadScenario } from '../../scenario/scenario-loader.js';
import { typeCheckScenario } from '../../scenario/type-check.js';
import type { CliContext } from '../cli-context.js';

/** `loadgen check`: everything `run` would refuse, and type errors too, without sending a request. */
export function registerCheckCommand(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('type-check and load a scenario (options, data file) without sending any request')
    .argument('<scenario>', 'a preset name, or a scenario .ts/.js/.json file')
    .option('--no-types', 'skip the type check (what `loadgen run` does)')
    .addHelpText(
      'after',
      `
Examples:
  $ loadgen check ./my-scenario.ts
  $ loadgen check baseline

\`loadgen run\` strips a script's types without checking them; \`check\` reports type errors too.
Exit codes: 0 the scenario is fine, 2 it is not (each problem on its own line, with file and line).`,
    )
    .action(async (ref: string, flags: { types: boolean }) => {
      if (flags.types && /\.[cm]?ts$/.test(ref)) {
        const errors = await typeCheckScenario(ref);
        if (errors.length > 0) {
          throw new LoadgenError(
            'LG_SCENARIO_INVALID',
            `scenario ${ref} has type errors:\n  ${errors.join('\n  ')}`,
          );
        }
      }
      const loaded = await loadScenario(ref);
      const o = loaded.options;
      const rows = loaded.data === undefined ? '' : `, ${loaded.data.rows.length} rows of data`;
      ctx.stdout.write(
        `ok: ${loaded.name}: ${describeModel(o.model)}, ${o.profile.type} for ${o.duration}s${rows}\n`,
      );
    });
}
