import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoPath } from '../src/repo-paths.js';
import { promtool, shippedRuleFiles, shippedRuleTests } from './checks/promtool.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-promtool-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('prometheus/', () => {
  it('promtool check config accepts prometheus.yml and finds the rule files', async () => {
    const result = await promtool(['check', 'config', 'prometheus/prometheus.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
    const rules = await shippedRuleFiles();
    expect(result.output).toContain(`${rules.length} rule files found`);
  });

  it('promtool check rules accepts every rule file', async () => {
    const rules = await shippedRuleFiles();
    expect(rules.length).toBeGreaterThanOrEqual(2);
    const result = await promtool(['check', 'rules', ...rules]);
    expect(result.ok, result.output).toBe(true);
  });

  it('promtool test rules passes for every rule file, each of which has a test', async () => {
    const tests = await shippedRuleTests();
    const tested = new Set<string>();
    for (const file of tests) {
      const spec = parse(await readFile(repoPath(file), 'utf8')) as { rule_files: string[] };
      for (const r of spec.rule_files) tested.add(`prometheus/rules/${r.replace('../rules/', '')}`);
    }
    expect([...tested].sort()).toEqual((await shippedRuleFiles()).sort());
    const result = await promtool(['test', 'rules', ...tests]);
    expect(result.ok, result.output).toBe(true);
    expect(result.output.match(/SUCCESS/g)?.length).toBe(tests.length);
  });

  it('the same checks reject a rule with a broken expression', async () => {
    const bad = join(scratch, 'bad.yml');
    await writeFile(
      bad,
      'groups:\n  - name: x\n    rules:\n      - record: a:b\n        expr: sum(rate(x[1m])\n',
    );
    const result = await promtool(['check', 'rules', bad]);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/parse error|unclosed/i);
  });

  it('scrapes game-api and loadgen every 5 s, loadgen both in compose and on the host', async () => {
    const config = parse(await readFile(repoPath('prometheus', 'prometheus.yml'), 'utf8')) as {
      global: { scrape_interval: string };
      scrape_configs: { job_name: string; honor_labels?: boolean; static_configs: { targets: string[] }[] }[];
    };
    expect(config.global.scrape_interval).toBe('5s');
    const jobs = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j]));
    expect(jobs['game-api']?.static_configs.flatMap((s) => s.targets)).toEqual(['game-api:8000']);
    const loadgenTargets = jobs.loadgen?.static_configs.flatMap((s) => s.targets) ?? [];
    expect(loadgenTargets).toContain('host.docker.internal:9464');
    expect(loadgenTargets.some((t) => !t.startsWith('host.docker.internal'))).toBe(true);
    expect(jobs.loadgen?.honor_labels).toBe(true);
  });
});
