import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSummaries, type EndpointComparison } from '../../src/compare/compare-summaries.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { formatComparison } from '../../src/terminal/format-comparison.js';
import { type GameLikeServer, startGameLikeServer } from './helpers/game-like-server.js';
import { shortRun } from './helpers/short-run.js';

const DELAY_MS = 200;
const ROUTE = 'GET /api/users';
const exec = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

let server: GameLikeServer;
let dir: string;
const runs: Record<'base' | 'again' | 'inside' | 'before', Summary> = {} as never;
const files: Record<string, string> = {};

const p50 = (e: EndpointComparison | undefined) => e?.metrics.find((m) => m.metric === 'p50');

beforeAll(async () => {
  server = await startGameLikeServer();
  dir = mkdtempSync(join(tmpdir(), 'glab-compare-'));
  runs.base = await shortRun(server.url, 'base-1', 'baseline');
  runs.again = await shortRun(server.url, 'base-2', 'baseline');
  server.setDelay(ROUTE, DELAY_MS, 'inside');
  runs.inside = await shortRun(server.url, 'bottleneck-inside', 'bottleneck');
  server.setDelay(ROUTE, DELAY_MS, 'before');
  runs.before = await shortRun(server.url, 'bottleneck-before', 'bottleneck');
  server.setDelay(ROUTE, 0);
  for (const [name, s] of Object.entries(runs)) {
    files[name] = join(dir, `${name}.json`);
    writeFileSync(files[name] as string, JSON.stringify(s));
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('compare on real short runs', () => {
  it('finds a run unchanged against itself', () => {
    const c = compareSummaries(runs.base, runs.base);
    expect(c.endpoints.map((e) => e.verdict)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(c.endpoints.flatMap((e) => e.metrics.map((m) => m.delta))).toEqual(
      c.endpoints.flatMap((e) => e.metrics.map(() => 0)),
    );
    expect(c.regressed).toEqual([]);
  });

  it('finds two runs of the same load unchanged (the rule resists run-to-run noise)', () => {
    const c = compareSummaries(runs.base, runs.again);
    for (const e of c.endpoints) expect(e.baseCount).toBeGreaterThanOrEqual(c.rule.minSamples);
    expect(c.regressed).toEqual([]);
    expect(c.endpoints.map((e) => e.verdict)).not.toContain('too few samples');
  });

  it('names exactly the delayed route, with the added median within 10% of the delay', () => {
    const c = compareSummaries(runs.base, runs.inside);
    expect(c.regressed).toEqual([ROUTE]);
    const users = c.endpoints.find((e) => e.endpoint === ROUTE);
    const added = p50(users)?.delta ?? 0;
    expect(added).toBeGreaterThanOrEqual(DELAY_MS * 0.9);
    expect(added).toBeLessThanOrEqual(DELAY_MS * 1.1);
    for (const e of c.endpoints.filter((x) => x.endpoint !== ROUTE)) expect(e.verdict).toBe('unchanged');
  });

  it('says the added time is inside the server when the server timed it', () => {
    const users = compareSummaries(runs.base, runs.inside).endpoints.find((e) => e.endpoint === ROUTE);
    expect(users?.server?.where).toBe('inside the server');
    expect(users?.server?.serverMeanDeltaMs).toBeGreaterThan(DELAY_MS * 0.9);
  });

  it('says the added time is before the server when the server never saw it', () => {
    const c = compareSummaries(runs.base, runs.before);
    expect(c.regressed).toEqual([ROUTE]);
    const users = c.endpoints.find((e) => e.endpoint === ROUTE);
    expect(users?.server?.where).toBe('before the server');
    expect(Math.abs(users?.server?.serverMeanDeltaMs ?? 99)).toBeLessThan(DELAY_MS * 0.2);
    expect(formatComparison(c)).toMatch(
      /GET \/api\/users: p50 \+\d+(\.\d)? ms .*the added time is before the server/,
    );
  });

  it('gates CI with --fail-on regressed through the real CLI', async () => {
    const ok = await exec(process.execPath, [
      '--import',
      'tsx',
      CLI,
      'compare',
      files.base as string,
      files.again as string,
      '--fail-on',
      'regressed',
    ]);
    expect(ok.stdout).toContain('No endpoint regressed.');
    const bad = await exec(process.execPath, [
      '--import',
      'tsx',
      CLI,
      'compare',
      files.base as string,
      files.inside as string,
      '--fail-on',
      'regressed',
    ]).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(bad.code).toBe(99);
    expect(bad.stdout).toMatch(/^Regressed \(1\):\n {2}GET \/api\/users: p50 \+/m);
  }, 30_000);

  it('rejects a file that is not a summary with a one-line error and exit 2', async () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, JSON.stringify({ schemaVersion: 1, run: {} }));
    const r = await exec(process.execPath, [
      '--import',
      'tsx',
      CLI,
      'compare',
      junk,
      files.base as string,
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/junk\.json: not a loadgen summary \(schemaVersion 1\): run\.testid/);
  }, 30_000);
});
