import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { History } from '../../src/history/history-types.js';
import { mergeSummaries } from '../../src/merge/merge-summaries.js';
import { runCli } from '../helpers/run-cli.js';
import { levelSummary, steadyRuns, writeRun } from './helpers/history-runs.js';

const root = mkdtempSync(join(tmpdir(), 'loadgen-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixtures = join(import.meta.dirname, '..', 'fixtures');

const LEVELS = { 'GET /api/users': 8, 'GET /api/me': 3, 'POST /api/sessions': 6 };

/** 10 nightly game runs, GET /api/users 50% slower from run 8 on, in a results directory. */
function nightlyDir(name: string): string {
  const dir = join(root, name);
  const runs = steadyRuns('nightly', 10, LEVELS, (i, e) => (e === 'GET /api/users' && i >= 7 ? 1.5 : 1), {
    pattern: 'game',
    tags: { commit: 'c0ffee1' },
  });
  for (const r of runs) writeRun(dir, r.testid, levelSummary(r));
  return dir;
}

const historyJson = async (args: string[]) => {
  const r = await runCli(['history', ...args, '--json']);
  expect(r.stderr).not.toMatch(/unexpected/);
  return { ...r, history: JSON.parse(r.stdout) as History };
};

describe('loadgen history: series of comparable runs', () => {
  it('groups by call pattern and load model; fault, tags and testid do not matter', async () => {
    const dir = join(root, 'grouping');
    const at = (day: number, testid: string, extra: object = {}) =>
      levelSummary({ testid, day, pattern: 'game', endpoints: LEVELS, ...extra });
    writeRun(dir, 'baseline-1', at(0, 'baseline-1'));
    // A bottleneck run: a game run with the fault on, and other tags.
    const bottleneck = at(1, 'bottleneck-1', { tags: { commit: 'x' } });
    bottleneck.run.fault = { delayMs: 1000, route: 'GET /api/users', mode: 'app' };
    writeRun(dir, 'bottleneck-1', bottleneck);
    writeRun(dir, 'open-1', at(2, 'open-1', { model: 'open' }));
    writeRun(
      dir,
      'match-1',
      levelSummary({ testid: 'match-1', day: 3, pattern: 'match', endpoints: { 'ws move': 4 } }),
    );
    const { history, code } = await historyJson([dir]);
    expect(code).toBe(0);
    expect(history.series.map((s) => [s.id, s.runs.map((r) => r.testid)])).toEqual([
      ['game · closed', ['baseline-1', 'bottleneck-1']],
      ['game · open', ['open-1']],
      ['match · closed', ['match-1']],
    ]);
    const users = history.series[0]?.metrics.find(
      (m) => m.endpoint === 'GET /api/users' && m.metric === 'p50',
    );
    expect(users?.values.map((v) => Math.round(v ?? 0))).toEqual([8, 8]);
  });

  it('counts a merged run once: its segments beside it are not counted again, an unmerged one is left out', async () => {
    const dir = join(root, 'merged');
    const part = (index: number) => {
      const s = levelSummary({ testid: 'big-1', day: 0, pattern: 'game', endpoints: LEVELS });
      s.run.segment = { index, count: 2 };
      return s;
    };
    const segments = [part(0), part(1)];
    for (const [i, s] of segments.entries()) writeRun(dir, `big-1-seg${i}of2`, s);
    writeRun(dir, 'big-1', mergeSummaries(segments, { sources: ['a', 'b'] }));
    const orphan = levelSummary({ testid: 'lonely', day: 1, pattern: 'game', endpoints: LEVELS });
    orphan.run.segment = { index: 0, count: 3 };
    writeRun(dir, 'lonely-seg0of3', orphan);
    const { history, stderr } = await historyJson([dir]);
    expect(history.series.flatMap((s) => s.runs.map((r) => [r.testid, r.parts]))).toEqual([['big-1', 2]]);
    expect(stderr).toMatch(/segment 0\/2 of big-1, counted in its merged summary/);
    expect(stderr).toMatch(/segment 1\/2 of big-1, counted in its merged summary/);
    expect(stderr).toMatch(/segment 0\/3 of lonely, never merged/);
  });

  it('reads summaries of every schema version in one history; a v1 run joins the declared pattern it played', async () => {
    const dir = join(root, 'versions');
    for (const v of ['v1', 'v2']) {
      mkdirSync(join(dir, `fixture-${v}`), { recursive: true });
      copyFileSync(join(fixtures, `summary-${v}.json`), join(dir, `fixture-${v}`, 'summary.json'));
    }
    // A v3 run that declares `game` and called the v1 fixture's loop endpoints; another that
    // declares nothing and called the v2 fixture's.
    writeRun(
      dir,
      'v3-game',
      levelSummary({
        testid: 'v3-game',
        day: 40,
        pattern: 'game',
        endpoints: { 'GET /api/me': 3, 'POST /api/sessions': 6 },
      }),
    );
    const v2 = JSON.parse(readFileSync(join(fixtures, 'summary-v2.json'), 'utf8')) as {
      endpoints: { endpoint: string; kind?: string }[];
    };
    const v3Loose = levelSummary({
      testid: 'v3-loose',
      day: 40,
      endpoints: Object.fromEntries(v2.endpoints.map((e) => [e.endpoint, 2])),
    });
    for (const e of v3Loose.endpoints) {
      const kind = v2.endpoints.find((x) => x.endpoint === e.endpoint)?.kind;
      if (kind === 'ws') e.kind = 'ws';
    }
    writeRun(dir, 'v3-loose', v3Loose);
    const { history, stderr } = await historyJson([dir]);
    expect(stderr).not.toMatch(/left out/);
    const ids = history.series.map((s) => [s.pattern, s.runs.map((r) => r.testid)]);
    expect(ids).toContainEqual(['game', ['fixture-v1', 'v3-game']]);
    expect(ids.find(([, runs]) => (runs as string[]).includes('fixture-v2'))?.[1]).toEqual([
      'fixture-v2',
      'v3-loose',
    ]);
    // The socket figures of the v2 file are endpoints like the others.
    const v2Series = history.series.find((s) => s.runs.some((r) => r.testid === 'fixture-v2'));
    expect(v2Series?.metrics.find((m) => m.endpoint === 'ws ping' && m.metric === 'p50')?.kind).toBe('ws');
  });

  it('says what it needs when a directory is missing (exit 2)', async () => {
    const r = await runCli(['history', join(root, 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no results directory .*nowhere: give the directories your runs wrote to/);
  });
});

describe('loadgen history: change points, --fail-on regression, --accept', () => {
  it('finds the one change, at run 8, on the endpoint that slowed down, in the terminal and in JSON', async () => {
    const dir = nightlyDir('nightly');
    const r = await runCli(['history', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/game · closed: 10 run\(s\)/);
    expect(r.stdout).toMatch(/FAIL regression\s+GET \/api\/users p50: 8(\.\d+)? → 12(\.\d+)? ms \(\+\d+%\)/);
    expect(r.stdout).toMatch(
      /from run 8: nightly-08, 2026-11-08 00:00:00Z \(commit=c0ffee1\); 3 run\(s\) since/,
    );
    const { history } = await historyJson([dir]);
    expect(history.changePoints.map((c) => [c.endpoint, c.metric, c.runIndex, c.testid, c.verdict])).toEqual([
      ['GET /api/users', 'p50', 7, 'nightly-08', 'regression'],
      ['GET /api/users', 'p95', 7, 'nightly-08', 'regression'],
      ['GET /api/users', 'p99', 7, 'nightly-08', 'regression'],
    ]);
    const [p50] = history.changePoints;
    expect(p50?.relativeChange).toBeGreaterThan(0.4);
    expect(p50?.pValue).toBeLessThan(1e-4);
    expect(p50?.provenance?.tags).toEqual({ commit: 'c0ffee1' });
  });

  it(`--fail-on regression exits 98; --accept records the change and silences it`, async () => {
    const dir = nightlyDir('accept');
    const failing = await runCli(['history', dir, '--fail-on', 'regression']);
    expect(failing.code).toBe(98);
    expect(failing.stdout).toMatch(/3 regression\(s\) within the last 5 runs .*--accept nightly-08/);
    // Older than the last 2 runs: no longer the CI's business.
    expect((await runCli(['history', dir, '--fail-on', 'regression', '--fail-within', '2'])).code).toBe(0);

    const accept = await runCli(['history', dir, '--fail-on', 'regression', '--accept', 'nightly-08']);
    expect(accept.code).toBe(0);
    expect(accept.stderr).toMatch(
      /accepted 3 change\(s\) starting at nightly-08 in .*history-accepted\.json/,
    );
    const file = JSON.parse(readFileSync(join(dir, 'history-accepted.json'), 'utf8'));
    expect(file.accepted).toEqual([
      {
        testid: 'nightly-08',
        acceptedAt: expect.any(String),
        changes: [
          expect.stringMatching(/^game · closed: GET \/api\/users p50: /),
          expect.stringMatching(/p95/),
          expect.stringMatching(/p99/),
        ],
      },
    ]);
    // Kept: the next call, without --accept, still passes and shows it accepted.
    const after = await runCli(['history', dir, '--fail-on', 'regression']);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/regression, accepted GET \/api\/users p50/);
  });

  it('refuses to accept a run that is not in the history, and a bad flag, with exit 2', async () => {
    const dir = nightlyDir('refuse');
    const r = await runCli(['history', dir, '--accept', 'nightly-99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--accept nightly-99: no such run under/);
    expect((await runCli(['history', dir, '--gate', 'p50,latency'])).stderr).toMatch(/unknown: latency/);
    expect((await runCli(['history', dir, '--since', 'yesterday'])).code).toBe(2);
  });

  it('--since and --last choose the runs; a smaller --min-change finds smaller changes', async () => {
    const dir = nightlyDir('window');
    const { history: last } = await historyJson([dir, '--last', '4']);
    expect(last.series[0]?.runs.map((r) => r.testid)).toEqual([
      'nightly-07',
      'nightly-08',
      'nightly-09',
      'nightly-10',
    ]);
    const { history: since } = await historyJson([dir, '--since', '2026-11-09']);
    expect(since.series[0]?.runs.map((r) => r.testid)).toEqual(['nightly-09', 'nightly-10']);
    const { history: huge } = await historyJson([dir, '--min-change', '60%']);
    expect(huge.changePoints).toEqual([]);
    // A share reads as every share flag reads it: 0.6 is 60%; a bare 60 is no share.
    const { history: fraction } = await historyJson([dir, '--min-change', '0.6']);
    expect(fraction.changePoints).toEqual([]);
    const bad = await runCli(['history', dir, '--min-error-points', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--min-error-points must be a fraction 0\.\.1 or a percentage \(0\.05 or 5%\), got "2"/,
    );
  });

  it('--csv writes one Otava-readable CSV per series and otava.yaml naming each', async () => {
    const dir = nightlyDir('csv');
    // A run that did not call POST /api/sessions: its cells are filled as Otava fills gaps.
    writeRun(
      dir,
      'nightly-11',
      levelSummary({
        testid: 'nightly-11',
        day: 10,
        pattern: 'game',
        endpoints: { 'GET /api/users': 12, 'GET /api/me': 3 },
      }),
    );
    const out = join(root, 'csv-out');
    const r = await runCli(['history', dir, '--csv', out]);
    expect(r.stderr).toMatch(/wrote 1 CSV file\(s\) and otava\.yaml/);
    expect(r.stdout).toMatch(
      /note: POST \/api\/sessions: in 10 of 11 runs; left out of its figures: nightly-11/,
    );
    const rows = parse(readFileSync(join(out, 'game-closed.csv'), 'utf8')) as string[][];
    const [header, ...data] = rows;
    expect(header?.slice(0, 5)).toEqual(['time', 'testid', 'commit', 'tags', 'summary']);
    expect(header).toContain('GET /api/users p95_ms');
    expect(data).toHaveLength(11);
    // Otava's CsvImporter: every metric cell must convert with float(), the time with dateparser.
    for (const row of data) {
      expect(Number.isNaN(Date.parse(row[0] as string))).toBe(false);
      for (const value of row.slice(5)) expect(value).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
    }
    const sessions = header?.indexOf('POST /api/sessions p50_ms') as number;
    expect(data[10]?.[sessions]).toBe(data[9]?.[sessions]);
    const yaml = readFileSync(join(out, 'otava.yaml'), 'utf8');
    expect(yaml).toMatch(/"game-closed":\n {4}type: csv\n {4}file: "game-closed.csv"\n {4}time_column: time/);
    expect(yaml).toMatch(
      /"GET \/api\/users p95_ms":\n {8}column: "GET \/api\/users p95_ms"\n {8}direction: -1/,
    );
  });
});
