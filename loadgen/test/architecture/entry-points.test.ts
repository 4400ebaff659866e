import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The package's two entry points (package.json "exports"), as another package resolves them:
// through node_modules/@game-load-lab/loadgen, against the built dist/ (build-once.ts builds it).

const DIST = join(import.meta.dirname, '..', '..', 'dist');
/** Resolve as a package beside loadgen would (infra/lab is one). */
const resolveFromLab = createRequire(
  join(import.meta.dirname, '..', '..', '..', 'infra', 'lab', 'package.json'),
);

describe("the package's entry points", () => {
  it('the main entry is the scripting API and nothing else', async () => {
    const api = await import('@game-load-lab/loadgen');
    // Values only: the types (Vu, ScenarioDefinition...) leave nothing at run time.
    expect(Object.keys(api).sort()).toEqual(['RequestFailedError', 'defineScenario']);
  });

  it('the library is @game-load-lab/loadgen/lib, resolved through the exports map', async () => {
    expect(resolveFromLab.resolve('@game-load-lab/loadgen')).toBe(join(DIST, 'index.js'));
    expect(resolveFromLab.resolve('@game-load-lab/loadgen/lib')).toBe(join(DIST, 'lib.js'));
    const lib = await import('@game-load-lab/loadgen/lib');
    for (const name of ['runScenario', 'mergeSummaries', 'readSummaryFile', 'parsePrometheusText', 'EXIT']) {
      expect(lib).toHaveProperty(name);
    }
  });

  it('a file inside the package is not importable by path: its layout is not a contract', () => {
    expect(() => resolveFromLab.resolve('@game-load-lab/loadgen/dist/run/run-scenario.js')).toThrow(
      expect.objectContaining({ code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }),
    );
  });
});
