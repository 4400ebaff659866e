import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSummaryFile } from '../../src/model/summary-files.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// A distributed run as a user does it on three machines: three loadgen processes, each with its
// --segment and one shared --start-at, then `loadgen merge`. A single process runs the same
// scenario at the same instant, for the counts to compare against.
let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'loadgen-distributed-'));
const scenarioFile = join(dir, 'scenario.json');
const USERS = 6;
const DURATION_SEC = 4;
const segmentSummary = (i: number) => join(dir, `seg${i}`, 'summary.json');
let startAt: number;
let single: Summary;
let merged: Summary;
let mergeRun: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  server = await startTestServer();
  writeFileSync(
    scenarioFile,
    JSON.stringify({
      name: 'distributed',
      steps: [{ request: 'GET /a' }, { request: 'POST /b', body: { n: 1 } }],
      think: 0.1,
      model: { type: 'closed', users: USERS, spawnRate: 100 },
      duration: `${DURATION_SEC}s`,
      thresholds: ['errors<1%'],
    }),
  );
  // Lead time for four node processes to start on a busy 2-core machine; a late one would fail
  // loudly (exit 2), not skew.
  startAt = Date.now() + 6000;
  const common = ['run', scenarioFile, '-t', server.url, '--start-at', String(startAt)];
  const runs = await Promise.all([
    ...[0, 1, 2].map((i) =>
      runCli([...common, '--testid', 'dist-1', '--segment', `${i}/3`, '-o', join(dir, `seg${i}`)]),
    ),
    runCli([...common, '--testid', 'single-1', '-o', join(dir, 'single')]),
  ]);
  for (const r of runs) expect(r.code, r.stderr).toBe(0);
  single = readSummaryFile(join(dir, 'single', 'summary.json'));
  mergeRun = await runCli(['merge', ...[0, 1, 2].map(segmentSummary), '-o', join(dir, 'merged')]);
  merged = readSummaryFile(join(dir, 'merged', 'summary.json'));
}, 120_000);
afterAll(async () => {
  await server.close();
});

describe('a distributed run: three processes, one --start-at, one merge', () => {
  it('merges into the whole run: the counts of a single process running the same scenario', () => {
    expect(mergeRun.code, mergeRun.stderr).toBe(0);
    expect(merged.run.segment).toEqual({ index: 0, count: 1 });
    expect(merged.run.parts).toBe(3);
    expect(merged.totals.errors).toBe(0);
    expect(merged.totals.peakUsers).toBe(USERS);
    // A closed model's count depends on response and timer timing: equal within scheduling noise.
    const ratio = merged.totals.iterations / single.totals.iterations;
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
    expect(merged.endpoints.map((e) => e.endpoint)).toEqual(single.endpoints.map((e) => e.endpoint));
  });

  it('lines the segments up in time: one start for all, windows on one clock', () => {
    const at = new Date(startAt).toISOString();
    expect(merged.run.startAt).toBe(at);
    expect(merged.run.merge?.parts.map((p) => p.startedAt)).toEqual([at, at, at]);
    expect(merged.run.merge?.maxStartSkewMs).toBeLessThan(merged.run.windowSec * 1000);
    for (const p of merged.run.merge?.parts ?? []) {
      expect(Date.parse(p.actualStartAt) - startAt).toBeLessThan(merged.run.windowSec * 1000);
    }
    // No smear: as many windows as the single run, and every segment's users in the same ones.
    expect(merged.timeSeries.map((w) => w.t)).toEqual(single.timeSeries.map((w) => w.t));
    expect(merged.timeSeries.slice(0, -1).map((w) => w.activeUsers)).toEqual(
      Array(DURATION_SEC - 1).fill(USERS),
    );
  });

  it('refuses a duplicated or a foreign segment, and a missing one unless --allow-partial', async () => {
    const out = join(dir, 'refused');
    const twice = await runCli(['merge', segmentSummary(0), segmentSummary(1), segmentSummary(1), '-o', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(
      /merge refused: .*seg1\/summary\.json and .*seg1\/summary\.json are both segment 1\/3/,
    );
    const single = join(dir, 'single', 'summary.json');
    const foreign = await runCli(['merge', segmentSummary(0), segmentSummary(1), single, '-o', out]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/merge refused: .*single\/summary\.json is run "single-1"/);
    const missing = await runCli(['merge', segmentSummary(0), segmentSummary(2), '-o', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/segment 1\/3 of run "dist-1" missing/);
    const partial = await runCli([
      'merge',
      segmentSummary(0),
      segmentSummary(2),
      '--allow-partial',
      '-o',
      out,
    ]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/PARTIAL: segment\(s\) 1\/3 missing/);
    expect(readSummaryFile(join(out, 'summary.json')).run.merge).toMatchObject({
      partial: true,
      missingSegments: [1],
    });
  });

  it('a --start-at more than a second in the past is an error, not a silent skew', async () => {
    const r = await runCli(['run', scenarioFile, '-t', server.url, '--start-at', String(Date.now() - 5000)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--start-at .* s in the past/);
    const bad = await runCli(['run', scenarioFile, '-t', server.url, '--start-at', 'tomorrow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--start-at "tomorrow" must be an ISO time/);
  });
});
