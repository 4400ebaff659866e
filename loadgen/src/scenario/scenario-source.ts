import { pathToFileURL } from 'node:url';
import {
  isScenario,
  type Scenario,
  type ScenarioDefinition,
  type SetupAlias,
  type Task,
} from '../api/scenario-api.js';
import { describeError } from '../engine/describe-error.js';
import type { RunnableScenario } from '../engine/virtual-user.js';
import { LoadgenError } from '../errors.js';
import { compileJsonScenario } from './json-scenario.js';
import type { JsonScenario } from './scenario-schema.js';

/**
 * Where a run's scenario comes from, as plain data: the main thread loads it once, and every
 * worker thread instantiates it again from this (the bundle, or the parsed JSON).
 */
export type ScenarioSource =
  | { kind: 'script'; file: string; bundle: string }
  | {
      kind: 'json';
      file: string;
      scenario: JsonScenario;
      /** The script export a JSON scenario's `setup` names (setup-reference.ts). */
      alias?: { file: string; bundle: string; exportName: string };
    };

// Stack traces of a script then name its own .ts lines (the bundle carries an inline source map).
process.setSourceMapsEnabled(true);

/** Import a bundled script; an exception while loading names the script's file and line. */
export async function importBundle(bundle: string, file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(bundle).href)) as Record<string, unknown>;
  } catch (error) {
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `scenario ${file} failed while loading: ${describeError(error)}`,
    );
  }
}

/** The scenario a module exports by default (what `defineScenario` made). */
export function defaultScenario(module: Record<string, unknown>, file: string): Scenario<unknown, unknown> {
  const def = module.default;
  if (!isScenario(def)) {
    throw new LoadgenError(
      'LG_SCENARIO_INVALID',
      `scenario ${file} has no default export made by defineScenario(): add \`export default defineScenario({ options, iteration })\``,
    );
  }
  return def;
}

const isSetup = (value: unknown): value is SetupAlias =>
  typeof (value as Partial<SetupAlias> | null)?.setup === 'function';

/** What an export is, for a message: `a function`, `a number`... */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object without a setup() function';
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

/** The setup `exportName` of a script: an object with setup(vu) and, optionally, reauthenticate(vu). */
function aliasOf(module: Record<string, unknown>, exportName: string, file: string): SetupAlias {
  const value = module[exportName];
  if (isSetup(value)) return value;
  const setups = Object.keys(module).filter((name) => isSetup(module[name]));
  const known = setups.length > 0 ? `its setups: ${setups.join(', ')}` : 'it exports no setup';
  throw new LoadgenError(
    'LG_SCENARIO_INVALID',
    exportName in module
      ? `${file}: export "${exportName}" is ${kindOf(value)}, not a setup: export { setup(vu), reauthenticate?(vu) } (a SetupAlias; ${known})`
      : `${file} has no export "${exportName}" (${known})`,
  );
}

/** `tasks` folded into one iteration that picks a task by weight, as Locust's @task does. */
export function runnable(def: ScenarioDefinition<unknown, unknown>, file: string): RunnableScenario {
  if (typeof def.iteration === 'function') return { ...def, iteration: def.iteration };
  const tasks = def.tasks;
  if (tasks === undefined || tasks.length === 0) {
    throw new LoadgenError('LG_SCENARIO_INVALID', `scenario ${file}: needs an iteration() function or tasks`);
  }
  for (const [i, t] of tasks.entries()) {
    if (typeof t.run !== 'function' || !((t.weight ?? 1) > 0)) {
      throw new LoadgenError(
        'LG_SCENARIO_INVALID',
        `scenario ${file}: tasks[${i}] needs run() and a weight > 0`,
      );
    }
  }
  const total = tasks.reduce((s, t) => s + (t.weight ?? 1), 0);
  return {
    ...def,
    iteration(vu) {
      let r = Math.random() * total;
      let task = tasks[tasks.length - 1] as Task<unknown, unknown>;
      for (const t of tasks) {
        r -= t.weight ?? 1;
        if (r < 0) {
          task = t;
          break;
        }
      }
      return task.run(vu);
    },
  };
}

/** The scenario the engine runs, from its source: in the main thread and in every worker alike. */
export async function instantiateScenario(source: ScenarioSource): Promise<RunnableScenario> {
  if (source.kind === 'script') {
    return runnable(
      defaultScenario(await importBundle(source.bundle, source.file), source.file),
      source.file,
    );
  }
  const a = source.alias;
  const alias =
    a === undefined ? undefined : aliasOf(await importBundle(a.bundle, a.file), a.exportName, a.file);
  return compileJsonScenario(source.scenario, alias);
}
