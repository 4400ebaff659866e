// loadgen's peak RSS with BENCH_USERS (5,000) closed-model users of a one-request JSON scenario,
// once with each HTTP client.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, runToEnd, startWithPort } from '../child-process.js';
import { BENCH_DIR, cli, client, USERS, work } from '../settings.js';

async function memory(httpClient: 'undici' | 'lean'): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'bare-target.mjs'),
  ]);
  const scenario = join(work, 'rss-scenario.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'rss',
      steps: [{ request: 'GET /' }],
      think: { min: 0.5, max: 1.5 },
      model: { type: 'closed', users: USERS, spawnRate: 1000 },
      duration: '20s',
    }),
  );
  try {
    const r = await runToEnd([
      ...client,
      process.execPath,
      cli,
      'run',
      scenario,
      '-t',
      `http://127.0.0.1:${port}`,
      '--http-client',
      httpClient,
      '-o',
      join(work, `rss-${httpClient}`),
    ]);
    if (r.code !== 0) throw new Error(`loadgen run failed: ${r.stderr}`);
    const s = JSON.parse(readFileSync(join(work, `rss-${httpClient}`, 'summary.json'), 'utf8')) as {
      totals: { requests: number; errors: number; peakUsers: number; rps: number };
    };
    console.log(
      `memory, ${httpClient} client: ${USERS} closed-model users (think 0.5-1.5 s, 20 s): peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (target <= 200), ` +
        `peak users ${s.totals.peakUsers}, ${s.totals.requests} requests (${Math.round(s.totals.rps)}/s), ${s.totals.errors} errors`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

export const memoryBenchmark: Benchmark = {
  name: 'memory',
  about: `peak RSS with ${USERS} closed-model users of a one-request scenario, lean client then undici`,
  run: async () => {
    await memory('lean'); // the default for http://
    await memory('undici');
  },
};
