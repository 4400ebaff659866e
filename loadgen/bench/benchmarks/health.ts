// What sampling the generator's own health costs (issue 20: <= 1%): `loadgen url` at full speed
// as it always runs, against the same run with the sampling off (LOADGEN_HEALTH=off, which exists
// for this benchmark only).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { runToEnd } from '../child-process.js';
import { measured } from '../measured.js';
import { CONNECTIONS, cli, client, SECONDS, work } from '../settings.js';
import { sideBySide } from '../side-by-side.js';

const loadgenUrl = (health: 'on' | 'off') => async (url: string) => {
  const out = join(work, `url-health-${health}`);
  const env = health === 'off' ? ['env', 'LOADGEN_HEALTH=off'] : [];
  const r = await runToEnd([
    ...client,
    ...env,
    process.execPath,
    cli,
    'url',
    url,
    '-c',
    String(CONNECTIONS),
    '-d',
    `${SECONDS}s`,
    '-o',
    out,
  ]);
  if (r.code !== 0) throw new Error(`loadgen url exited ${r.code}: ${r.stderr}`);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
    totals: { requests: number };
    run: { elapsedSec: number };
    generator?: unknown;
  };
  // The two variants must differ in what they say they differ in.
  if ((s.generator !== undefined) !== (health === 'on'))
    throw new Error(
      `health sampling ${health}, yet the summary ${s.generator ? 'has' : 'lacks'} generator figures`,
    );
  return measured(s.totals.requests, s.run.elapsedSec, r.cpuSec);
};

export const healthBenchmark: Benchmark = {
  name: 'health',
  about:
    "loadgen url at full speed with the generator's health sampled (always) vs LOADGEN_HEALTH=off (>= 0.99x)",
  run: () =>
    sideBySide(
      `health: ${CONNECTIONS} connections, ${SECONDS} s each`,
      { name: 'loadgen url, health sampling off', run: loadgenUrl('off') },
      { name: 'loadgen url (health sampled)', run: loadgenUrl('on') },
      0.99,
    ),
};
