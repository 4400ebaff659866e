import type { RunConfig } from '../../src/scenario/run-config.js';
import type { RunOverrides } from '../../src/scenario/scenario-loader.js';
import { loadJsonScenario, parseScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
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
