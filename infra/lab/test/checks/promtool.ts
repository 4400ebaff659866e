import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { LabError } from '../../src/errors.js';
import { repoPath } from '../../src/repo-paths.js';

export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** Runs `promtool <args>`; a missing promtool is an error that says how to install it. */
export function promtool(args: string[], cwd = repoPath()): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new LabError('LAB_TOOL_MISSING', 'promtool is not installed: run infra/local/ensure-prometheus.sh'),
        );
        return;
      }
      resolve({ ok: !error, output });
    });
  });
}

export async function shippedRuleFiles(): Promise<string[]> {
  const names = await readdir(repoPath('prometheus', 'rules'));
  return names.filter((n) => n.endsWith('.yml')).map((n) => `prometheus/rules/${n}`);
}

export async function shippedRuleTests(): Promise<string[]> {
  const names = await readdir(repoPath('prometheus', 'tests'));
  return names.filter((n) => n.endsWith('.test.yml')).map((n) => `prometheus/tests/${n}`);
}
