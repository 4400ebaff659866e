import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../api/options-schema.js';
import { LoadgenError } from '../errors.js';
import { SCRIPT_EXTENSIONS } from './script-bundler.js';

/**
 * A JSON scenario's `setup` names a script's export: `"./game.ts#gamePlayer"` (the path relative
 * to the JSON file), or a short name that a `setups.json` in the presets folder maps to such a
 * reference (`"game-player"`: loadgen/scenarios/setups.json). loadgen itself knows no name.
 */

/** The script file and the export a `setup` names. */
interface SetupRef {
  file: string;
  exportName: string;
}

/** `<path>#<export>`: the part after the last `#` is a JavaScript identifier. */
const REFERENCE = /^(.+)#([A-Za-z_$][\w$]*)$/;

/** The names the presets folder gives to setups, each a reference relative to that folder. */
const SETUP_NAMES_FILE = 'setups.json';
const setupNamesSchema = z.record(
  z.string(),
  z.string().regex(REFERENCE, 'must be a reference "./file.ts#exportName"'),
);

function setupNames(presetsDir: string): Record<string, string> {
  const file = join(presetsDir, SETUP_NAMES_FILE);
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // The file names the setups of every JSON scenario: say which file, not a parser's stack.
    throw new LoadgenError('LG_SCENARIO_INVALID', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = setupNamesSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LoadgenError('LG_SCENARIO_INVALID', `${file}: ${formatZodError(parsed.error)}`);
  }
  return parsed.data;
}

function scriptOf(setup: string, reference: string, baseDir: string, source: string): SetupRef {
  const [, path, exportName] = REFERENCE.exec(reference) as RegExpExecArray;
  const file = resolve(baseDir, path as string);
  const refuse = (why: string) =>
    new LoadgenError('LG_SCENARIO_INVALID', `scenario ${source}: setup "${setup}": ${why}`);
  if (!existsSync(file)) throw refuse(`no file ${file} (the path is relative to ${baseDir})`);
  if (!SCRIPT_EXTENSIONS.includes(extname(file).toLowerCase())) {
    throw refuse(`${file} is not a script (${SCRIPT_EXTENSIONS.join(', ')})`);
  }
  return { file, exportName: exportName as string };
}

/**
 * The script export a JSON scenario's `setup` names, or undefined for `none`. `scenarioFile` is
 * the JSON file (references are relative to it); a name is looked up in `presetsDir`'s setups.json.
 */
export function resolveSetupRef(
  setup: string,
  scenarioFile: string,
  presetsDir: string,
): SetupRef | undefined {
  if (setup === 'none') return undefined;
  if (REFERENCE.test(setup)) return scriptOf(setup, setup, dirname(resolve(scenarioFile)), scenarioFile);
  const names = setupNames(presetsDir);
  const reference = names[setup];
  if (reference === undefined) {
    const known = Object.keys(names);
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `scenario ${scenarioFile}: setup "${setup}" is neither a setup name${known.length > 0 ? ` (${known.join(', ')})` : ''} nor a script's export ("./file.ts#exportName", relative to the scenario file)`,
    );
  }
  return scriptOf(setup, reference, presetsDir, scenarioFile);
}
