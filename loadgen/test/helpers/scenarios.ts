import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { RunConfig } from '../../src/scenario/run-config.js';
import type { RunOverrides } from '../../src/scenario/scenario-loader.js';
import {
  loadJsonScenario,
  loadScenario,
  parseScenario,
  resolveRun,
} from '../../src/scenario/scenario-loader.js';
import type { JsonScenarioInput } from '../../src/scenario/scenario-schema.js';

/** A one-step scenario (GET /) with the given model, as a resolved run against `target`. */
export async function simpleRun(
  target: string,
  model: JsonScenarioInput['model'],
  durationSec: number,
  overrides: RunOverrides = {},
  extra: Partial<JsonScenarioInput> = {},
): Promise<RunConfig> {
  const scenario = parseScenario(
    { name: 'test', steps: [{ request: 'GET /' }], model, duration: durationSec, ...extra },
    'test',
  );
  const config = resolveRun(await loadJsonScenario(scenario, 'test.json'), { target, ...overrides });
  // Short tests: don't wait long for stragglers after the duration.
  config.gracefulStopSec = 2;
  return config;
}

/** Run a scenario file with these overrides, waiting 1 s at most for stragglers after its duration. */
export async function runFile(file: string, overrides: RunOverrides): Promise<Summary> {
  const config = resolveRun(await loadScenario(file), overrides);
  config.gracefulStopSec = 1;
  return runScenario(config);
}
