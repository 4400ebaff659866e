import type { RunConfig } from '../../src/scenario/run-config.js';
import type { RunOverrides } from '../../src/scenario/scenario-loader.js';
import { parseScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import type { ScenarioInput } from '../../src/scenario/scenario-schema.js';

/** A one-step scenario (GET /) with the given model, as a resolved run against `target`. */
export function simpleRun(
  target: string,
  model: ScenarioInput['model'],
  durationSec: number,
  overrides: RunOverrides = {},
  extra: Partial<ScenarioInput> = {},
): RunConfig {
  const scenario = parseScenario(
    { name: 'test', steps: [{ request: 'GET /' }], model, duration: durationSec, ...extra },
    'test',
  );
  const config = resolveRun(scenario, { target, ...overrides });
  // Short tests: don't wait long for stragglers after the duration.
  config.gracefulStopSec = 2;
  return config;
}
