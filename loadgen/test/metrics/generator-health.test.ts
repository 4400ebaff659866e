import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSummaryFile } from '../../src/model/summary-files.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { type CliResult, runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

let server: TestServer;
let dir: string;
let burn: { cli: CliResult; summary: Summary };
let light: { cli: CliResult; summary: Summary };

async function run(name: string, args: string[]) {
  const out = join(dir, name);
  const cli = await runCli([...args, '--target', server.url, '--out', out, '--testid', name]);
  return { cli, summary: readSummaryFile(join(out, 'summary.json')) };
}

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'glab-health-'));
  // 20 users each spinning the CPU 50 ms per iteration: the event loop never rests.
  burn = await run('burn', ['run', join(FIXTURES, 'cpu-burn.ts'), '--duration', '6s']);
  // A few users with think time, on two threads: the generator idles.
  light = await run('light', [
    'run',
    join(FIXTURES, 'steady-think.json'),
    '--users',
    '4',
    '--threads',
    '2',
    '--duration',
    '6s',
  ]);
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("the generator's own health", () => {
  it('is in every window, for each thread, and over the run', () => {
    for (const w of light.summary.timeSeries) {
      expect(w.generator?.threads.map((t) => t.thread)).toEqual([0, 1]);
      expect(w.generator?.rssMb).toBeGreaterThan(10);
    }
    const g = light.summary.generator;
    expect(g?.rule).toEqual({ busy: 0.9, loopP99Ms: 50, windows: 3 });
    expect(g?.peakRssMb).toBeGreaterThan(10);
    expect(light.cli.stdout).toMatch(
      /^generator: busiest thread \d+%, event-loop delay p99 up to [\d.]+ ms/m,
    );
    expect(light.cli.stdout).toMatch(/\| gen busy \d+% {2}loop p99 [\d.]+ ms/);
  });

  it('flags a run that burns the CPU as generator-saturated, and warns at the end', () => {
    expect(burn.cli.code).toBe(0);
    const g = burn.summary.generator;
    expect(g?.saturated).toBe(true);
    expect(g?.maxBusy).toBeGreaterThanOrEqual(0.9);
    expect(g?.saturatedWindows).toBeGreaterThanOrEqual(3);
    expect(burn.cli.stdout).toMatch(
      /WARNING: the generator saturated from [\d.]+ s .*these latencies include loadgen's own queueing/,
    );
    // The live line marks each saturated window.
    expect(burn.cli.stdout).toMatch(/gen busy \d+% {2}loop p99 [\d.]+ ms !/);
  });

  it('does not flag a light run', () => {
    expect(light.cli.code).toBe(0);
    expect(light.summary.generator?.saturated).toBe(false);
    expect(light.cli.stdout).not.toMatch(/WARNING: the generator saturated/);
  });

  it('compare flags the saturated run, and the HTML report says so', async () => {
    const lightPath = join(dir, 'light', 'summary.json');
    const burnPath = join(dir, 'burn', 'summary.json');
    const compared = await runCli(['compare', lightPath, burnPath]);
    expect(compared.stdout).toContain(
      "WARNING: the candidate's generator saturated: its latencies include loadgen's own queueing",
    );
    expect(compared.stdout).not.toContain("the baseline's generator saturated");
    const json = await runCli(['compare', lightPath, burnPath, '--json']);
    expect(JSON.parse(json.stdout).generatorSaturated).toEqual({ baseline: false, candidate: true });
    const html = join(dir, 'report.html');
    await runCli(['report', lightPath, burnPath, '-o', html]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<b>generator saturated</b>');
    expect(page).toContain('id="chart-busy"');
  });
});
