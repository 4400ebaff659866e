import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { gameRun } from './helpers/summary-factory.js';

const exec = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
const loadgen = (...args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', CLI, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

let results: string;

function save(summary: Summary, startedAt: string): void {
  const s = { ...summary, run: { ...summary.run, startedAt } };
  mkdirSync(join(results, s.run.testid), { recursive: true });
  writeFileSync(join(results, s.run.testid, 'summary.json'), JSON.stringify(s));
}

beforeAll(() => {
  results = mkdtempSync(join(tmpdir(), 'glab-results-'));
  save(gameRun('baseline-20261122T060000'), '2026-11-22T06:00:00.000Z');
  save(gameRun('baseline-20261122T070000'), '2026-11-22T07:00:00.000Z');
  save(
    gameRun('bottleneck-20261122T071000', {
      label: 'bottleneck',
      slow: { endpoint: 'GET /api/users', addMs: 1000 },
    }),
    '2026-11-22T07:10:00.000Z',
  );
  mkdirSync(join(results, 'broken-run'));
  writeFileSync(join(results, 'broken-run', 'summary.json'), '{"schemaVersion":1');
});

afterAll(() => rmSync(results, { recursive: true, force: true }));

describe('loadgen report (the real CLI)', () => {
  it('--latest takes the newest run of each scenario and says what it skipped or missed', async () => {
    const out = join(results, 'report.html');
    const r = await loadgen(
      'report',
      '--latest',
      results,
      '--scenarios',
      'baseline,stress,bottleneck',
      '-o',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*report\.html \(\d+ KB\): baseline-20261122T070000, bottleneck-20261122T071000$/m,
    );
    expect(r.stderr).toContain('no run found for: stress');
    expect(r.stderr).toMatch(/skipped .*broken-run\/summary\.json/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('baseline-20261122T070000');
    expect(html).not.toContain('baseline-20261122T060000');
    expect(html).toMatch(/<script>[^<]*uPlot/);

    // Without --scenarios: every preset's newest run, and no word about the presets never run.
    const all = await loadgen('report', '--latest', results, '-o', out);
    expect(all.code).toBe(0);
    expect(all.stderr).toMatch(/^baseline: .*baseline-20261122T070000/m);
    expect(all.stderr).not.toContain('no run found');
  }, 30_000);

  it('takes files in the order given; the first is the reference', async () => {
    const out = join(results, 'two.html');
    const r = await loadgen(
      'report',
      join(results, 'bottleneck-20261122T071000', 'summary.json'),
      join(results, 'baseline-20261122T070000', 'summary.json'),
      '-o',
      out,
    );
    expect(r.code).toBe(0);
    // Against the bottleneck run, the baseline's GET /api/users is faster: improved, not regressed.
    expect(readFileSync(out, 'utf8')).toMatch(
      /data-endpoint="GET \/api\/users" data-run="1">.*class="verdict improved"/,
    );
  }, 30_000);

  it('fails with a one-line message and exit 2 when there is nothing to report', async () => {
    const r = await loadgen('report', '-o', join(results, 'none.html'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'loadgen: report: give summary.json files or --latest <dir> with runs in it',
    );
  }, 30_000);
});
