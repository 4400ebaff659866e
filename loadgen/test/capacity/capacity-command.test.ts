import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityReport } from '../../src/capacity/capacity-plan.js';
import { knownStepRun } from '../report/helpers/step-run.js';
import { gameRun } from '../report/helpers/summary-factory.js';

const exec = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
const loadgen = (...args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', CLI, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

let dir: string;
let step: string;
let baseline: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glab-capacity-'));
  step = join(dir, 'step.json');
  baseline = join(dir, 'baseline.json');
  writeFileSync(step, JSON.stringify(knownStepRun()));
  writeFileSync(baseline, JSON.stringify(gameRun('baseline-x')));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadgen capacity (the real CLI)', () => {
  it('prints the step table and a plan for a million players by default', async () => {
    const r = await loadgen('capacity', step);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Knee: 60 users at 30 req/s');
    expect(r.stdout).toContain('Capacity plan for 1,000,000 players (1,000,000 playing at once)');
  }, 30_000);

  it('takes percentages for shares and prints JSON on --json', async () => {
    const r = await loadgen(
      'capacity',
      step,
      '--users',
      '2000000',
      '--concurrent',
      '10%',
      '--headroom',
      '50%',
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as CapacityReport;
    expect(report.plan?.neededRps).toBe(100_000);
    expect(report.plan?.apiInstances).toBe(Math.ceil(100_000 / (30 * 0.5)));
  }, 30_000);

  it('refuses a run that is not a step run, and a bad share, with one line and exit 2', async () => {
    const notStep = await loadgen('capacity', baseline);
    expect(notStep.code).toBe(2);
    expect(notStep.stderr.trim()).toBe(
      'loadgen: baseline-x is a constant run: capacity needs a step run (loadgen run step)',
    );
    const badShare = await loadgen('capacity', step, '--concurrent', '150%');
    expect(badShare.code).toBe(2);
    expect(badShare.stderr).toContain(
      '--concurrent must be a fraction 0..1 or a percentage (0.05 or 5%), got "150%"',
    );
  }, 30_000);
});
