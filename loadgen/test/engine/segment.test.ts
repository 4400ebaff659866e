import { afterEach, describe, expect, it } from 'vitest';
import { localCount, parseSegment, partShare } from '../../src/engine/segment.js';
import { mergeSummaries } from '../../src/merge/merge-summaries.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { simpleRun } from '../helpers/scenarios.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('execution segments', () => {
  it('splits users exactly, whatever the thread count of each segment', () => {
    for (const users of [1, 7, 10, 101, 5000]) {
      const shares = [0, 1, 2, 3].flatMap((i) =>
        Array.from({ length: i + 1 }, (_, t) =>
          localCount(users, partShare({ index: i, count: 4 }, t, i + 1)),
        ),
      );
      expect(shares.reduce((a, b) => a + b, 0)).toBe(users);
    }
  });

  it('rejects a segment outside 0 <= i < n', () => {
    expect(() => parseSegment('4/4')).toThrow(/--segment "4\/4"/);
    expect(parseSegment('3/4')).toEqual({ index: 3, count: 4 });
  });

  it('four segments 0/4..3/4 produce the whole run (within 1%) and merge into it', async () => {
    server = await startTestServer();
    const model = { type: 'open', rate: 120, preAllocatedVUs: 10, maxVUs: 100 } as const;
    const whole = await runScenario(await simpleRun(server.url, model, 2, { testid: 'seg-whole' }));
    const parts = await Promise.all(
      [0, 1, 2, 3].map(async (index) =>
        runScenario(
          await simpleRun(server?.url ?? '', model, 2, { testid: 'seg', segment: { index, count: 4 } }),
        ),
      ),
    );
    const sum = parts.reduce((a, s) => a + s.totals.iterations, 0);
    expect(Math.abs(sum - whole.totals.iterations) / whole.totals.iterations).toBeLessThan(0.01);
    for (const p of parts) expect(p.totals.iterations).toBeGreaterThan(50);

    const merged = mergeSummaries(parts);
    expect(merged.run.segment).toEqual({ index: 0, count: 1 });
    expect(merged.run.parts).toBe(4);
    expect(merged.totals.requests).toBe(parts.reduce((a, s) => a + s.totals.requests, 0));
    expect(merged.endpoints[0]?.count).toBe(merged.totals.requests);
  });
});
