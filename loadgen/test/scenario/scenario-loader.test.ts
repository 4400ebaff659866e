import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileLength } from '../../src/engine/profile.js';
import { loadScenario, presetNames, resolveRun } from '../../src/scenario/scenario-loader.js';

const target = 'http://127.0.0.1:1';

describe('scenarios', () => {
  it('every preset validates, and the seeds’ shapes are kept', () => {
    const runs = Object.fromEntries(presetNames().map((n) => [n, resolveRun(loadScenario(n), { target })]));
    expect(runs.baseline?.model).toEqual({ type: 'closed', users: 10, spawnRate: 2 });
    expect(runs.stress?.model).toEqual({ type: 'closed', users: 100, spawnRate: 10 });
    expect(runs.bottleneck?.label).toBe('bottleneck');
    expect(runs.bottleneck?.model).toEqual(runs.baseline?.model);
    const levels = runs.step?.profile.stages.filter((s) => s.duration > 0).map((s) => s.target);
    expect(levels).toEqual([10, 20, 30, 50, 100, 200, 500]);
    expect(runs.step?.durationSec).toBe(
      profileLength(runs.step?.profile ?? { type: 'step', start: 0, stages: [] }),
    );
    for (const name of ['baseline', 'stress', 'bottleneck', 'step', 'spike', 'burst']) {
      expect(runs[name]?.durationSec).toBeLessThanOrEqual(90);
    }
    expect(runs.baseline?.scenario.setup).toBe('game-player');
  });

  it('flags override the file; --rate switches to the open model; --users scales a step profile', () => {
    const base = loadScenario('baseline');
    const now = new Date('2026-11-22T10:15:00Z');
    const r = resolveRun(base, { target, durationSec: 5, users: 3, spawnRate: 1 }, now);
    expect(r).toMatchObject({ durationSec: 5, model: { type: 'closed', users: 3, spawnRate: 1 } });
    expect(r.testid).toBe('baseline-20261122T101500');
    expect(resolveRun(base, { target, rate: 20 }).model).toMatchObject({ type: 'open', rate: 20 });
    const step = resolveRun(loadScenario('step'), { target, users: 50 });
    expect(Math.max(...step.profile.stages.map((s) => s.target))).toBe(50);
  });

  it('a bad scenario file gives one line naming the field', () => {
    const file = join(tmpdir(), `lg-bad-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', steps: [{ request: 'FETCH /a' }], model: { type: 'closed', users: 0 } }),
    );
    expect(() => loadScenario(file)).toThrow(/steps\.0\.request: must look like "GET \/api\/users"/);
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', steps: [{ request: 'GET /a' }], model: { type: 'closed', users: 0 } }),
    );
    expect(() => loadScenario(file)).toThrow(/model\.users: /);
    writeFileSync(file, '{ not json');
    expect(() => loadScenario(file)).toThrow(/not valid JSON/);
    expect(() => loadScenario('no-such-preset')).toThrow(/neither a preset \(baseline, stress/);
    expect(() => resolveRun(loadScenario('baseline'), {})).toThrow(/--target is required/);
  });
});
