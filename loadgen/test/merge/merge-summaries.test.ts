import { describe, expect, it } from 'vitest';
import { LoadgenError } from '../../src/errors.js';
import { mergeSummaries } from '../../src/merge/merge-summaries.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { gameRun } from '../report/helpers/summary-factory.js';

const T0 = Date.parse('2026-11-22T07:00:00.000Z');

/** Segment i of n of one run, started `offsetMs` after T0. */
function segment(i: number, n: number, offsetMs = 0, testid = 'big-1'): Summary {
  const s = structuredClone(gameRun(testid));
  s.run.segment = { index: i, count: n };
  s.run.startedAt = new Date(T0 + offsetMs).toISOString();
  s.run.endedAt = new Date(T0 + offsetMs + s.run.durationSec * 1000).toISOString();
  return s;
}

function refusal(inputs: Summary[], allowPartial = false): string {
  try {
    mergeSummaries(inputs, { sources: inputs.map((_, i) => `s${i}.json`), allowPartial });
  } catch (error) {
    expect(error).toBeInstanceOf(LoadgenError);
    expect((error as LoadgenError).code).toBe('LG_MERGE_REFUSED');
    return (error as Error).message;
  }
  throw new Error('merge was not refused');
}

describe('merge checks what it merges', () => {
  it('refuses different runs, scenarios, window lengths, segment counts and a segment twice', () => {
    expect(refusal([segment(0, 2), segment(1, 2, 0, 'other-run')])).toMatch(
      /s1\.json is run "other-run", s0\.json is run "big-1"/,
    );
    const otherScenario = segment(1, 2);
    otherScenario.run.scenario = { name: 'stress', label: 'stress' };
    expect(refusal([segment(0, 2), otherScenario])).toMatch(/s1\.json ran scenario stress/);
    const longWindows = segment(1, 2);
    longWindows.run.windowSec = 5;
    expect(refusal([segment(0, 2), longWindows])).toMatch(/5 s windows, s0\.json has 1 s windows/);
    expect(refusal([segment(0, 2), segment(1, 3)])).toMatch(/different segment counts/);
    expect(refusal([segment(0, 2), segment(1, 2), segment(1, 2)])).toMatch(
      /s1\.json and s2\.json are both segment 1\/2/,
    );
  });

  it('refuses a name that is a counter in one segment and a rate in another, or a trend in two units', () => {
    const counted = segment(0, 2);
    counted.metrics = [{ name: 'score', type: 'counter', count: 3, rps: 1 }];
    const rated = segment(1, 2);
    rated.metrics = [{ name: 'score', type: 'rate', passes: 1, fails: 0, rate: 1 }];
    expect(refusal([counted, rated])).toBe(
      'merge refused: "score" is a counter in s0.json and a rate in s1.json: their figures cannot be added (the segments must run the same scenario)',
    );

    const trend = (s: Summary, unit: string | undefined): Summary => {
      const e = structuredClone(s.endpoints[0] as Summary['endpoints'][number]);
      s.endpoints.push({
        ...e,
        endpoint: 'room size',
        kind: 'custom',
        ...(unit === undefined ? {} : { unit }),
      });
      return s;
    };
    expect(refusal([trend(segment(0, 2), 'players'), trend(segment(1, 2), undefined)])).toMatch(
      /"room size" is a trend in players in s0\.json and a trend in ms in s1\.json/,
    );
    // The same trend in the same unit merges.
    const merged = mergeSummaries([trend(segment(0, 2), 'players'), trend(segment(1, 2), 'players')]);
    expect(merged.endpoints.find((e) => e.endpoint === 'room size')?.unit).toBe('players');
  });

  it('a missing segment is an error unless allowed; then the result says it is partial and which', () => {
    expect(refusal([segment(0, 3), segment(2, 3)])).toMatch(/segment 1\/3 of run "big-1" missing/);
    const partial = mergeSummaries([segment(0, 3), segment(2, 3)], { allowPartial: true });
    expect(partial.run.merge).toMatchObject({ partial: true, missingSegments: [1] });
    expect(partial.totals.requests).toBe(2 * segment(0, 3).totals.requests);
  });

  it('lines windows up by wall-clock time and records every start and the largest skew', () => {
    const a = segment(0, 2);
    const b = segment(1, 2, 3000); // started 3 s later: its window t=0 ran at the merged t=3
    b.run.startLateMs = 250; // and its users went 250 ms after its own clock's start
    const m = mergeSummaries([b, a]);
    expect(m.run.startedAt).toBe(a.run.startedAt);
    expect(m.run.merge?.maxStartSkewMs).toBe(3250);
    expect(m.run.merge?.parts[1]?.actualStartAt).toBe(new Date(T0 + 3250).toISOString());
    expect(m.run.merge?.parts.map((p) => [p.index, p.startedAt])).toEqual([
      [0, a.run.startedAt],
      [1, b.run.startedAt],
    ]);
    expect(m.run.merge?.partial).toBe(false);
    expect(m.timeSeries.map((w) => w.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const at = (t: number) => m.timeSeries.find((w) => w.t === t)?.requests;
    const perWindow = a.timeSeries[0]!.requests;
    expect([at(0), at(2), at(3), at(9), at(10), at(12)]).toEqual([
      perWindow,
      perWindow,
      2 * perWindow,
      2 * perWindow,
      perWindow,
      perWindow,
    ]);
    expect(m.run.segment).toEqual({ index: 0, count: 1 });
    expect(m.totals.requests).toBe(a.totals.requests + b.totals.requests);
  });

  it('evaluates thresholds on the merged data', () => {
    const slow = segment(1, 2);
    const a = segment(0, 2);
    for (const s of [a, slow]) s.run.thresholds = ['errors<1%', 'GET /api/users:p95<100'];
    expect(mergeSummaries([a, slow]).thresholds.map((t) => t.passed)).toEqual([true, true]);
  });
});

describe("merge keeps each segment's steering and generator health", () => {
  it("lists every segment's changes on the merged clock and every segment's threads per window", () => {
    const a = segment(0, 2);
    const b = segment(1, 2, 2000);
    a.timeline = [{ t: 5, action: 'users', users: 40, spawnRate: 10, source: 'page' }];
    b.timeline = [{ t: 1, action: 'users', users: 40, spawnRate: 10, source: 'cli' }];
    const health = (busy: number) => ({
      cpu: busy,
      rssMb: 100 * busy,
      threads: [{ thread: 0, busy, loopP50Ms: 1, loopP99Ms: 3, loopMaxMs: 4 }],
    });
    for (const w of a.timeSeries) w.generator = health(0.2);
    // Segment 1's machine was saturated all along.
    for (const w of b.timeSeries) w.generator = health(0.95);
    const merged = mergeSummaries([a, b]);
    // b started 2 s after a: its change at its 1 s is at 3 s of the merged clock.
    expect(merged.timeline?.map((c) => [c.t, c.segment, c.source])).toEqual([
      [3, 1, 'cli'],
      [5, 0, 'page'],
    ]);
    const both = merged.timeSeries.find((w) => w.t === 4);
    expect(both?.generator?.threads.map((t) => [t.segment, t.busy])).toEqual([
      [0, 0.2],
      [1, 0.95],
    ]);
    expect(both?.generator?.cpu).toBe(0.95);
    expect(merged.generator?.saturated).toBe(true);
    expect(merged.generator?.maxBusy).toBe(0.95);
  });
});
