import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileLength } from '../../src/engine/profile.js';
import type { RunConfig } from '../../src/scenario/run-config.js';
import { loadScenario, presetNames, resolveRun } from '../../src/scenario/scenario-loader.js';

const target = 'http://127.0.0.1:1';

describe('scenarios', () => {
  it('every preset validates, and the seeds’ shapes are kept', async () => {
    const runs: Record<string, RunConfig> = Object.fromEntries(
      await Promise.all(presetNames().map(async (n) => [n, resolveRun(await loadScenario(n), { target })])),
    );
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
    expect(runs.match?.model).toEqual({ type: 'closed', users: 20, spawnRate: 10 });
    expect(runs['reconnect-storm']?.model).toEqual({ type: 'closed', users: 100, spawnRate: 10 });
    // Every preset is a script of scenarios/ (the game pattern, or realtime play on top of its
    // log-in), with game-api's adapter.
    for (const name of presetNames()) {
      expect(runs[name]?.source).toMatchObject({
        kind: 'script',
        file: expect.stringMatching(new RegExp(`scenarios/${name}\\.ts$`)),
      });
      expect(runs[name]?.server.faultGauge).toBe('game_api_fault_delay_ms');
    }
  });

  it('flags override the file; --rate switches to the open model; --users scales a step profile', async () => {
    const base = await loadScenario('baseline');
    const now = new Date('2026-11-22T10:15:00Z');
    const r = resolveRun(base, { target, durationSec: 5, users: 3, spawnRate: 1 }, now);
    expect(r).toMatchObject({ durationSec: 5, model: { type: 'closed', users: 3, spawnRate: 1 } });
    expect(r.testid).toBe('baseline-20261122T101500');
    expect(resolveRun(base, { target, rate: 20 }).model).toMatchObject({ type: 'open', rate: 20 });
    const step = resolveRun(await loadScenario('step'), { target, users: 50 });
    expect(Math.max(...step.profile.stages.map((s) => s.target))).toBe(50);
  });

  it('sends with the lean client to http:// and with undici to https://, unless told which', async () => {
    const base = await loadScenario('baseline');
    expect(resolveRun(base, { target: 'http://127.0.0.1:8000' }).httpClient).toBe('lean');
    expect(resolveRun(base, { target: 'https://game.example' }).httpClient).toBe('undici');
    expect(resolveRun(base, { target: 'http://127.0.0.1:8000', httpClient: 'undici' }).httpClient).toBe(
      'undici',
    );
    expect(() => resolveRun(base, { target: 'https://game.example', httpClient: 'lean' })).toThrow(
      /--http-client lean speaks plain http:\/\/ only; use undici/,
    );
  });

  it('a bad scenario file gives one line naming the field', async () => {
    const file = join(tmpdir(), `lg-bad-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', steps: [{ request: 'FETCH /a' }], model: { type: 'closed', users: 0 } }),
    );
    await expect(loadScenario(file)).rejects.toThrow(/steps\.0\.request: must look like "GET \/api\/users"/);
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', steps: [{ request: 'GET /a' }], model: { type: 'closed', users: 0 } }),
    );
    await expect(loadScenario(file)).rejects.toThrow(/model\.users: /);
    writeFileSync(file, '{ not json');
    await expect(loadScenario(file)).rejects.toThrow(/not valid JSON/);
    // The presets are the scripts of scenarios/ that export a scenario; game-api.ts only shares settings.
    expect(presetNames()).toEqual(expect.arrayContaining(['baseline', 'stress', 'match', 'reconnect-storm']));
    expect(presetNames()).not.toContain('game-api');
    await expect(loadScenario('no-such-preset')).rejects.toThrow(
      `"no-such-preset" is neither a preset (${presetNames().join(', ')}) nor a scenario file`,
    );
    const baseline = await loadScenario('baseline');
    expect(() => resolveRun(baseline, {})).toThrow(/--target is required/);
  });

  it('refuses before any request what can be known of custom metrics: a step of a declared name, a threshold it cannot take', async () => {
    const file = join(tmpdir(), `lg-metrics-${process.pid}.json`);
    const scenario = (extra: object) =>
      JSON.stringify({
        name: 'x',
        steps: [{ request: 'GET /join' }],
        model: { type: 'closed', users: 1 },
        ...extra,
      });
    writeFileSync(file, scenario({ metrics: { 'GET /join': { type: 'counter' } } }));
    await expect(loadScenario(file)).rejects.toThrow(
      /options.metrics declares "GET \/join" \(a counter\), and a step is the endpoint "GET \/join": give each its own name/,
    );
    writeFileSync(
      file,
      scenario({ metrics: { 'moves sent': { type: 'counter' } }, thresholds: ['moves sent:p95<5'] }),
    );
    await expect(loadScenario(file)).rejects.toThrow(
      /threshold "moves sent:p95<5": "moves sent" is a counter \(options.metrics\), whose thresholds are count and rps/,
    );
    writeFileSync(
      file,
      scenario({
        metrics: { 'room size': { type: 'trend', unit: 'players' } },
        thresholds: ['room size:p95<2s'],
      }),
    );
    await expect(loadScenario(file)).rejects.toThrow(
      /"room size" is in players; write the limit without ms or s/,
    );
    writeFileSync(file, scenario({ metrics: { checks: { type: 'rate' } } }));
    await expect(loadScenario(file)).rejects.toThrow(/metrics.checks: "checks" is a threshold of its own/);
    // A --threshold flag is held to the same declarations.
    writeFileSync(file, scenario({ metrics: { 'match found': { type: 'rate' } } }));
    const loaded = await loadScenario(file);
    expect(() => resolveRun(loaded, { target, thresholds: ['match found:count>1'] })).toThrow(
      /"match found" is a rate \(options.metrics\), whose thresholds are rate/,
    );
    expect(resolveRun(loaded, { target, thresholds: ['match found:rate>90%'] }).metrics).toEqual({
      'match found': { type: 'rate' },
    });
  });
});
