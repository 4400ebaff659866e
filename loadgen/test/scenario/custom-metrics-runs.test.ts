import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const FIXED = join(LOADGEN, 'test', 'fixtures', 'custom-fixed.ts');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What must not depend on how the users were split: every custom figure but timings and a gauge's sum. */
function customFigures(s: Summary) {
  const trend = (name: string) => s.endpoints.find((e) => e.endpoint === name);
  const exact = (name: string) => {
    const e = trend(name);
    return {
      count: e?.count,
      errors: e?.errors,
      unit: e?.unit,
      latencyMs: e?.latencyMs,
      histogram: e?.histogram,
    };
  };
  return {
    // Timed with the clock: its samples, not their values, are fixed.
    'join room': { count: trend('join room')?.count, errors: trend('join room')?.errors },
    // Recorded values that depend only on each user's id and round: the very same histograms.
    'room size': exact('room size'),
    'server tick': exact('server tick'),
    failures: s.failures.filter((f) => f.endpoint === 'server tick'),
    // A gauge's value sums each part's last one, so it depends on the split; its min and max do
    // not. A counter's rate per second depends on the measured time (segments run one after the other).
    metrics: s.metrics?.map((m) =>
      m.type === 'gauge' ? { ...m, value: undefined } : m.type === 'counter' ? { ...m, rps: undefined } : m,
    ),
    thresholds: s.thresholds.map((t) => [t.expr, t.passed]),
  };
}

describe('custom measurements in threads and segments (test/fixtures/custom-fixed.ts: fixed work)', () => {
  it('one thread, two threads, and two merged segments of two threads each measure exactly the same', async () => {
    server = await startTestServer();
    const dir = join(LOADGEN, 'test-artifacts', `custom-fixed-${process.pid}`);
    const run = async (tag: string, extra: string[]) => {
      const out = join(dir, tag);
      const r = await runCli([
        'run',
        FIXED,
        '--target',
        server?.url ?? '',
        '--testid',
        'custom-fixed',
        '--out',
        out,
        ...extra,
      ]);
      expect(r.stderr).not.toMatch(/error|failed/i);
      expect(r.code).toBe(0);
      return join(out, 'summary.json');
    };
    const read = (file: string): Summary => JSON.parse(readFileSync(file, 'utf8'));
    const one = read(await run('one', ['--threads', '1']));
    const two = read(await run('two', ['--threads', '2']));
    const seg0 = await run('seg0', ['--threads', '2', '--segment', '0/2']);
    const seg1 = await run('seg1', ['--threads', '2', '--segment', '1/2']);
    const m = await runCli(['merge', seg0, seg1, '-o', join(dir, 'merged')]);
    expect(m.code).toBe(0);
    const merged = read(join(dir, 'merged', 'summary.json'));

    // 8 users x 3 rounds; counts of every user id + 1; ids 1, 2, 4, 5, 7 find a match.
    expect(customFigures(one)).toMatchObject({
      'join room': { count: 24, errors: 0 },
      'room size': { count: 24, errors: 0, unit: 'players', latencyMs: { min: 0 } },
      'server tick': { count: 27, errors: 3 },
      failures: [{ endpoint: 'server tick', kind: 'tick_lost', count: 3 }],
      metrics: [
        { name: 'match found', type: 'rate', passes: 15, fails: 9, rate: 0.625 },
        { name: 'moves sent', type: 'counter', count: 108 },
        { name: 'open rooms', type: 'gauge', min: 0, max: 7 },
      ],
    });
    expect(customFigures(two)).toEqual(customFigures(one));
    expect(customFigures(merged)).toEqual(customFigures(one));
  });
});
