import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessGenerator, SATURATION_RULE } from '../../src/model/generator-saturation.js';
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

  it('does not flag a light run for its own work', () => {
    expect(light.cli.code).toBe(0);
    // Its threads idle between requests: far below the busy bound, whatever else the machine runs.
    expect(light.summary.generator?.maxBusy).toBeLessThan(SATURATION_RULE.busy / 2);
    // The event-loop delay is the other half of the rule, and the one other processes on a loaded
    // machine can push past 50 ms; judged on its own work (busy) alone, the run is not saturated.
    const onItsOwnWork = { ...SATURATION_RULE, loopP99Ms: Number.POSITIVE_INFINITY };
    expect(assessGenerator(light.summary.timeSeries, onItsOwnWork)?.saturated).toBe(false);
    // The warning at the end says what the summary says.
    expect(/WARNING: the generator saturated/.test(light.cli.stdout)).toBe(
      light.summary.generator?.saturated,
    );
  });

  it('compare flags the saturated run, and the HTML report says so', async () => {
    const lightPath = join(dir, 'light', 'summary.json');
    const burnPath = join(dir, 'burn', 'summary.json');
    const compared = await runCli(['compare', lightPath, burnPath]);
    expect(compared.stdout).toContain(
      "WARNING: the candidate's generator saturated: its latencies include loadgen's own queueing",
    );
    // The light run is the baseline: flagged only if a loaded machine delayed its event loop.
    const lightSaturated = light.summary.generator?.saturated ?? false;
    expect(compared.stdout.includes("the baseline's generator saturated")).toBe(lightSaturated);
    const json = await runCli(['compare', lightPath, burnPath, '--json']);
    expect(JSON.parse(json.stdout).generatorSaturated).toEqual({
      baseline: lightSaturated,
      candidate: true,
    });
    const html = join(dir, 'report.html');
    await runCli(['report', lightPath, burnPath, '-o', html]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<b>generator saturated</b>');
    expect(page).toContain('id="chart-busy"');
  });
});
