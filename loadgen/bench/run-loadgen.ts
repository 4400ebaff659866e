import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finished, runToEnd } from './child-process.js';
import { cli, client } from './settings.js';

/**
 * `loadgen run <scenario> -t <target> ... -o <out>` on the client core (`wrap` adds a prefix such
 * as a raised open-file limit); fails on a non-zero exit, returns the run and its summary.
 */
export async function runLoadgen<S>(o: {
  cliPath?: string;
  nodeFlags?: readonly string[];
  scenario: string;
  target: string;
  out: string;
  args?: string[];
  wrap?: (argv: string[]) => string[];
}): Promise<{ r: Finished; summary: S }> {
  const argv = [
    ...client,
    process.execPath,
    ...(o.nodeFlags ?? []),
    o.cliPath ?? cli,
    'run',
    o.scenario,
    '-t',
    o.target,
    ...(o.args ?? []),
    '--metrics-linger',
    '0',
    '-o',
    o.out,
  ];
  const r = await runToEnd(o.wrap ? o.wrap(argv) : argv);
  if (r.code !== 0) throw new Error(`loadgen run ${o.scenario} failed (exit ${r.code}): ${r.stderr}`);
  return { r, summary: JSON.parse(readFileSync(join(o.out, 'summary.json'), 'utf8')) as S };
}
