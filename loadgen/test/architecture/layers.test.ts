import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import config, { LAYERS } from '../../.dependency-cruiser.mjs';

// The layer order of loadgen/src (.dependency-cruiser.mjs, docs/design.md): every import points
// down, no cycle, and no file outside a layer. No exception is listed, and none may be.

const loadgenDir = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = fileURLToPath(new URL('../fixtures/layers', import.meta.url));

async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const { output } = await cruise(['src'], {
    ...config.options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  if (typeof output === 'string') throw new Error('dependency-cruiser answered text, not a result');
  return output;
}

/** One line per violation, as a reader fixes it: the rule, then the import (or the cycle). */
function violations(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) =>
    v.cycle === undefined || v.cycle.length === 0
      ? `${v.rule.name}: ${v.from} -> ${v.to}`
      : `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')}`,
  );
}

describe('the layers of loadgen/src', () => {
  it('has every import pointing down, no cycle, and no sibling analyses importing each other', async () => {
    const result = await cruiseSrc(loadgenDir);
    // Resolved, and all of src seen: otherwise an empty graph would pass.
    const unresolved = result.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} -> ${d.module}`),
    );
    expect(unresolved).toEqual([]);
    const files = readdirSync(`${loadgenDir}/src`, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/${f}`)
      .sort();
    expect(result.modules.map((m) => m.source).sort()).toEqual(files);
    expect(result.summary.totalDependenciesCruised).toBeGreaterThan(files.length);
    expect(violations(result)).toEqual([]);
  });

  it('places every file of src in exactly one layer (a new folder must be given its place)', () => {
    const files = readdirSync(`${loadgenDir}/src`, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    const misplaced = files
      .map((f) => `src/${f}`)
      .map((f) => ({ f, layers: LAYERS.filter((l) => new RegExp(l.path).test(f)).map((l) => l.name) }))
      .filter(({ layers }) => layers.length !== 1)
      .map(({ f, layers }) => `${f}: ${layers.length === 0 ? 'in no layer' : `in ${layers.join(', ')}`}`);
    expect(misplaced).toEqual([]);
  });

  it('reports an upward import, a cycle and one analysis importing another (a small tree of each)', async () => {
    expect(violations(await cruiseSrc(fixtureDir)).sort()).toEqual([
      'analysis-imports-analysis: src/compare/verdict.ts -> src/capacity/knee.ts',
      'api-imports-upward: src/api/leaf.ts -> src/model/shape.ts',
      'no-circular: src/engine/ping.ts -> src/engine/pong.ts -> src/engine/ping.ts',
    ]);
  });
});
