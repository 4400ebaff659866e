import type { Summary } from '../../../src/model/summary-schema.js';
import { runScenario } from '../../../src/run/run-scenario.js';
import { loadJsonScenario, parseScenario, resolveRun } from '../../../src/scenario/scenario-loader.js';

/**
 * A short real loadgen run of the game's read calls against `target`: 8 users looping over
 * me, users, leaderboard with a little think time (so fast routes don't just burn the CPU that
 * other tests share).
 */
export async function shortRun(
  target: string,
  testid: string,
  label: string,
  durationSec = 4,
): Promise<Summary> {
  const scenario = parseScenario(
    {
      name: 'compare-test',
      label,
      loop: 'sequence',
      think: 0.01,
      steps: [
        { request: 'GET /api/me' },
        { request: 'GET /api/users', query: { page: 1, limit: 20 } },
        { request: 'GET /api/leaderboard', query: { limit: 10 } },
      ],
      model: { type: 'closed', users: 8, spawnRate: 100 },
      duration: durationSec,
    },
    'compare-test',
  );
  return runScenario(
    resolveRun(await loadJsonScenario(scenario, 'compare-test.json'), { target, testid, durationSec }),
  );
}
