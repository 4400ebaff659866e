// What sampling the generator's own health costs (the goal: <= 1%): `loadgen url` at full speed
// as it always runs, against the same run with the sampling off (LOADGEN_HEALTH=off, which exists
// for this benchmark only).
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { runToEnd } from '../child-process.js';
import { profiledArgv, sampleShare } from '../cpu-profile.js';
import { measuredRun } from '../measured.js';
import { CONNECTIONS, client, loadgenUrlArgv, SECONDS, work } from '../settings.js';
import { sideBySide } from '../side-by-side.js';

const loadgenUrl = (health: 'on' | 'off', profileDir?: string) => async (url: string) => {
  const out = join(work, `url-health-${health}`);
  const env = health === 'off' ? ['env', 'LOADGEN_HEALTH=off'] : [];
  const argv = [...client, ...env, ...loadgenUrlArgv(url, out)];
  const r = await runToEnd(profileDir === undefined ? argv : profiledArgv(argv, profileDir));
  if (r.code !== 0) throw new Error(`loadgen url exited ${r.code}: ${r.stderr}`);
  const m = measuredRun(out, r.cpuSec);
  // The two variants must differ in what they say they differ in.
  if ((m.summary.generator !== undefined) !== (health === 'on'))
    throw new Error(
      `health sampling ${health}, yet the summary ${m.summary.generator ? 'has' : 'lacks'} generator figures`,
    );
  return m;
};

/** One more run, profiled: the share of loadgen's CPU samples taken by the health sampling. */
async function healthShare(url: string): Promise<void> {
  const dir = join(work, 'profile-health');
  await loadgenUrl('on', dir)(url);
  const { share, samples } = sampleShare(dir, /\/(metrics\/thread-health|model\/generator-saturation)\.js$/);
  console.log(
    `  profiled run: ${(share * 100).toFixed(2)}% of ${samples} busy CPU samples in the health sampling (goal <= 1%)`,
  );
}

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
      undefined,
      healthShare,
    ),
};
