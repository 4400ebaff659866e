import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { type BattleCounts, type ColyseusServer, startColyseusServer } from '../helpers/colyseus-server.js';
import { runCli } from '../helpers/run-cli.js';
import { runScraped } from '../helpers/scraped-run.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(LOADGEN, 'examples', 'colyseus.ts');
const MISSING_ROOM = join(LOADGEN, 'test', 'fixtures', 'colyseus-missing-room.ts');
const dir = join(LOADGEN, 'test-artifacts', `colyseus-${process.pid}`);

let server: ColyseusServer;
beforeAll(async () => {
  server = await startColyseusServer();
});
afterAll(async () => {
  await server?.close();
});

/** What the room counted during `run`. */
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; room: BattleCounts }> {
  const before = { ...server.counts };
  const result = await run();
  const room = {
    joins: server.counts.joins - before.joins,
    leaves: server.counts.leaves - before.leaves,
    moves: server.counts.moves - before.moves,
  };
  return { result, room };
}

const trend = (s: Summary, name: string) => s.endpoints.find((e) => e.endpoint === name);

describe('loadgen/examples/colyseus.ts against a real Colyseus 0.16 room (colyseus.js as the client)', () => {
  it("times joins and move round trips: its counts are the room's own, in the summary and in Prometheus", async () => {
    const config = resolveRun(await loadScenario(EXAMPLE), {
      target: server.url,
      users: 4,
      durationSec: 3,
      testid: 'colyseus-prom',
    });
    config.gracefulStopSec = 3;
    const {
      result: { summary, samples },
      room,
    } = await counted(() => runScraped(config));
    const join = trend(summary, 'join room');
    const move = trend(summary, 'move round trip');
    expect(room.joins).toBeGreaterThan(4);
    expect(join).toMatchObject({ kind: 'custom', count: room.joins, errors: 0 });
    expect(move).toMatchObject({ kind: 'custom', count: room.moves, errors: 0 });
    expect(summary.metrics).toContainEqual(
      expect.objectContaining({ name: 'moves sent', count: room.moves }),
    );
    // Percentiles, with their histograms, as an endpoint has them; no HTTP request at all.
    for (const e of [join, move]) {
      expect(e?.latencyMs.p50).toBeGreaterThan(0);
      expect(e?.latencyMs.p95).toBeGreaterThanOrEqual(e?.latencyMs.p50 ?? Infinity);
      expect(e?.histogram.length).toBeGreaterThan(0);
    }
    expect(trend(summary, 'room size')).toMatchObject({ unit: 'players' });
    expect(summary.totals.requests).toBe(0);
    expect(summary.totals.scriptErrors).toBeUndefined();
    expect(summary.thresholds.every((t) => t.passed)).toBe(true);
    const series = (name: string, label: string) =>
      samples.find((s) => s.name === name && s.labels.name === label && s.labels.testid === 'colyseus-prom')
        ?.value;
    expect(series('loadgen_custom_duration_seconds_count', 'join room')).toBe(room.joins);
    expect(series('loadgen_custom_duration_seconds_count', 'move round trip')).toBe(room.moves);
    expect(series('loadgen_custom_counter_total', 'moves sent')).toBe(room.moves);
  });

  it('type-checks against the SDK and loadgen (loadgen check)', async () => {
    const checked = await runCli(['check', EXAMPLE]);
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toBe('ok: colyseus: closed, 10 users at 10/s, constant for 30s\n');
  });

  it('a threshold on a round trip fails the run (exit 99); compare and report show the measurements', async () => {
    const run = (tag: string, extra: string[]) =>
      runCli([
        'run',
        EXAMPLE,
        '-t',
        server.url,
        '--users',
        '2',
        '--duration',
        '2s',
        '--metrics-linger',
        '0',
        '-o',
        join(dir, tag),
        ...extra,
      ]);
    const { result: strict, room } = await counted(() =>
      run('strict', ['--threshold', 'move round trip:p95<0.001', '--threshold', 'join room:errors<1%']),
    );
    expect(strict.code).toBe(99);
    expect(strict.stdout).toMatch(/^move round trip:p95<0\.001\s+[\d.]+\s+FAIL$/m);
    expect(strict.stdout).toMatch(/^join room:errors<1%\s+0\.00%\s+pass$/m);
    // The end-of-run table has the measurements, and no empty HTTP table.
    expect(strict.stdout).toMatch(/^move round trip\s+(\d+)\s+0\s+[\d.]+/m);
    expect(strict.stdout).not.toMatch(/^endpoint\s+requests/m);
    const first: Summary = JSON.parse(readFileSync(join(dir, 'strict', 'summary.json'), 'utf8'));
    expect(trend(first, 'move round trip')?.count).toBe(room.moves);

    const second = await run('second', []);
    expect(second.code).toBe(0);
    const a = join(dir, 'strict', 'summary.json');
    const b = join(dir, 'second', 'summary.json');
    const compared = await runCli(['compare', a, b]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/^join room\s+\S+/m);
    expect(compared.stdout).toMatch(/^move round trip\s+\S+/m);
    expect(compared.stdout).toMatch(/^room size \(players\)\s+not judged/m);
    expect(compared.stdout).toMatch(/^moves sent\s+counter\s+/m);
    const reported = await runCli(['report', a, b, '-o', join(dir, 'report.html')]);
    expect(reported.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<figcaption>move round trip</figcaption>');
    expect(html).toContain('data-endpoint="join room"');
    expect(html).toContain('data-metric="moves sent"');
  });

  it('a join of a room that does not exist is an error of the SDK’s code, untimed, not a script error', async () => {
    const config = resolveRun(await loadScenario(MISSING_ROOM), { target: server.url });
    config.gracefulStopSec = 2;
    const { result: summary, room } = await counted(() => runScenario(config));
    expect(room.joins).toBe(0);
    expect(trend(summary, 'join room')).toMatchObject({ count: 6, errors: 6 });
    expect(trend(summary, 'join room')?.latencyMs.max).toBe(0);
    // colyseus.js' MatchMakeError carries the matchmaker's code (4212: no such room id).
    expect(summary.failures).toEqual([
      expect.objectContaining({ endpoint: 'join room', kind: 'MatchMakeError_4212', count: 6 }),
    ]);
    expect(summary.totals.scriptErrors).toBeUndefined();
  });
});
