import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { runScraped } from '../helpers/scraped-run.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

/** The 1-based line of the fixture holding `text`, as a script error names it. */
const lineOf = (file: string, text: string) =>
  readFileSync(fixture(file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('vu.time and vu.record (test/fixtures/custom-api.ts: 2 users, 2 rounds each)', () => {
  it('time a function, count what it throws under its kind once, and keep timeouts in the percentiles', async () => {
    server = await startTestServer();
    const config = resolveRun(await loadScenario(fixture('custom-api.ts')), { target: server.url });
    config.gracefulStopSec = 1;
    const summary = await runScenario(config);
    const byName = Object.fromEntries(summary.endpoints.map((e) => [e.endpoint, e]));
    const failures = Object.fromEntries(summary.failures.map((f) => [`${f.endpoint} ${f.kind}`, f]));

    // Timed and resolved with fn's result.
    expect(byName.compute).toMatchObject({ kind: 'custom', count: 4, errors: 0 });
    expect(summary.checks).toEqual([
      {
        label:
          'refused: vu.record("room size", Infinity): the value must be a finite number (null only with { error }, a failure without a value)',
        passes: 1,
        fails: 0,
      },
      {
        label:
          'refused: vu.record("room size", NaN): the value must be a finite number (null only with { error }, a failure without a value)',
        passes: 1,
        fails: 0,
      },
      { label: 'the script gets the error as it was thrown', passes: 4, fails: 0 },
      { label: 'time returns what fn returns', passes: 4, fails: 0 },
    ]);
    // A throw is an error of its code; a fast failure has no latency to pull the percentiles down.
    expect(byName['join room']).toMatchObject({ count: 4, errors: 4 });
    expect(byName['join room']?.latencyMs.max).toBe(0);
    expect(failures['join room ROOM_FULL']).toMatchObject({ count: 4 });
    // A timeout keeps the time it waited (30 ms here).
    expect(failures['wait for match TimeoutError']).toMatchObject({ count: 4 });
    expect(byName['wait for match']?.latencyMs.min).toBeGreaterThanOrEqual(29);
    // A trend of another unit: 0 is a value, printed without ms; NaN and Infinity were not recorded.
    expect(byName['room size']).toMatchObject({ unit: 'players', count: 4, errors: 0 });
    expect(byName['room size']?.latencyMs).toMatchObject({ min: 0, max: expect.closeTo(12.5, 1) });
    // A failure recorded without a value: counted, untimed.
    expect(byName['server delay']).toMatchObject({ count: 4, errors: 4 });
    expect(failures['server delay lost']).toMatchObject({ count: 4 });
    // Uncaught in the iteration: counted under its name, not again as a script error.
    expect(failures['last step script_error']).toMatchObject({
      count: 2,
      sample: `Error: gone (custom-api.ts:${lineOf('custom-api.ts', "new Error('gone')")})`,
    });
    // The one script error: a custom name that an endpoint already has, at its first use.
    expect(summary.totals.scriptErrors).toBe(1);
    expect(failures['(iteration) script_error']?.sample).toMatch(
      /^Error: "GET \/ping" is an HTTP endpoint, so it cannot also be a trend \(vu.time, vu.record\): give each its own name \(custom-api.ts:(\d+)\)$/,
    );
    expect(failures['(iteration) script_error']?.sample).toContain(
      `(custom-api.ts:${lineOf('custom-api.ts', "vu.time('GET /ping'")})`,
    );
    // The totals stay HTTP's.
    expect(summary.totals.requests).toBe(1);
  });

  it('counts a tagged sample in its metric and its tag set, at most 50 sets a part, the rest as (other)', async () => {
    server = await startTestServer();
    const config = resolveRun(await loadScenario(fixture('custom-tags.ts')), {
      target: server.url,
      testid: 'tags',
    });
    config.gracefulStopSec = 1;
    const { summary, samples } = await runScraped(config);
    const count = (name: string) =>
      summary.endpoints.find((e) => e.endpoint === name)?.count ??
      summary.metrics?.flatMap((m) => (m.name === name && m.type === 'counter' ? [m.count] : []))[0];
    expect(count('join room')).toBe(6);
    expect(count('join room{region=eu}')).toBe(3);
    expect(count('join room{region=us}')).toBe(3);
    expect(count('moves sent')).toBe(12);
    expect(count('moves sent{region=us,mode=ranked}')).toBe(6);
    // 180 distinct players in one part: 50 kept apart, the other 130 counted together.
    const players = summary.metrics?.filter((m) => m.name.startsWith('per player{')) ?? [];
    expect(players).toHaveLength(51);
    expect(count('per player')).toBe(180);
    expect(count('per player{player=(other)}')).toBe(130);
    expect(summary.thresholds.map((t) => [t.expr, t.actual, t.passed])).toEqual([
      ['join room{region=eu}:count>=3', 3, true],
      ['moves sent{region=us,mode=ranked}:count>=6', 6, true],
    ]);
    // Misuses are errors at their first use, naming what to do.
    expect(summary.checks?.map((c) => c.label)).toEqual([
      'refused: "moves sent": tag "map" is not declared (its tags: region, mode)',
    ]);
    expect(summary.failures).toContainEqual(
      expect.objectContaining({
        endpoint: '(iteration)',
        kind: 'script_error',
        sample: expect.stringMatching(
          /"untagged" was given tags but declares none: add tags: \['region'\] to options.metrics\["untagged"\]/,
        ),
      }),
    );
    // In Prometheus a tag is a label; a tagged metric is exported by its tag sets alone.
    const joins = samples.filter(
      (s) => s.name === 'loadgen_custom_duration_seconds_count' && s.labels.name === 'join room',
    );
    expect(joins.map((s) => [s.labels.region, s.value]).sort()).toEqual([
      ['eu', 3],
      ['us', 3],
    ]);
    const moves = samples.filter(
      (s) => s.name === 'loadgen_custom_counter_total' && s.labels.name === 'moves sent',
    );
    expect(moves.map((s) => [s.labels.region, s.labels.mode, s.value]).sort()).toEqual([
      ['eu', 'ranked', 6],
      ['us', 'ranked', 6],
    ]);
  });
});
