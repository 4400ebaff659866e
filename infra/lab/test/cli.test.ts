import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localPrometheusConfig } from '../src/local/prometheus-config.js';
import { labCli } from './helpers/lab-cli.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-cli-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('lab CLI', () => {
  it.each([
    [['--help'], /local[\s\S]*run[\s\S]*check-dashboards/],
    [['local', 'up', '--help'], /--scrape-interval[\s\S]*--api-host <address>[\s\S]*env: LAB_API_HOST/],
    [['local', 'down', '--help'], /--purge/],
    [['local', 'status', '--help'], /--dir/],
    [['run', '--help'], /TARGET_URL[\s\S]*BOTTLENECK_DELAY_MS/],
    [['check-dashboards', '--help'], /--testid/],
    [['compose-env', '--help'], /--file <path>/],
  ])('lab %j prints help', async (args, expected) => {
    const { code, output } = await labCli(args, {}).done;
    expect(code).toBe(0);
    expect(output).toMatch(expected);
  });

  it('names the bad variable in one line and exits 2', async () => {
    const { code, output } = await labCli(['run', 'baseline'], { TARGET_URL: 'not a url' }).done;
    expect(code).toBe(2);
    expect(output.trim()).toMatch(/^lab: TARGET_URL: /);
    expect(output.trim().split('\n')).toHaveLength(1);
  });

  it('says when no local lab runs (exit 5)', async () => {
    const { code, output } = await labCli(['local', 'status', '--dir', scratch], {}).done;
    expect(code).toBe(5);
    expect(output).toContain('npm run lab:local');
  });
});

describe('localPrometheusConfig', () => {
  it('refuses a scrape job it has no local target for, naming it', async () => {
    const source = join(scratch, 'prometheus.yml');
    await writeFile(source, 'scrape_configs:\n  - job_name: game-api\n  - job_name: extra\n');
    await expect(localPrometheusConfig({ source, targets: { 'game-api': '127.0.0.1:1' } })).rejects.toThrow(
      'no local target for scrape job(s) extra',
    );
  });
});
