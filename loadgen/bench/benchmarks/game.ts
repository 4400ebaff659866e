// The game pattern (register, log in, the 8-call loop, no think time, 50 users) by the game script
// with each HTTP client, its JSON form, optionally an older loadgen (BENCH_BASELINE_CLI) and
// Locust, in alternating rounds against bench/game-target.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtRatio } from '../../src/model/number-format.js';
import type { Benchmark } from '../benchmark.js';
import { hasCommand, pinPrefix, runToEnd, startWithPort } from '../child-process.js';
import { type Measured, measured, median } from '../measured.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, cli, client, ROUNDS, SECONDS, work } from '../settings.js';

/** One run of the game pattern (register, log in, the 8-call loop, no think time) by one client. */
type GameTool = { name: string; run: (target: string) => Promise<Measured> };

const loadgenGame = (
  name: string,
  cliPath: string,
  scenario: string,
  httpClient: 'undici' | 'lean',
): GameTool => ({
  name,
  run: async (target) => {
    const { r, summary: s } = await runLoadgen<{
      totals: { requests: number; errors: number };
      run: { elapsedSec: number };
    }>({
      cliPath,
      scenario,
      target,
      out: join(work, `game-${name.replace(/\W+/g, '-')}`),
      args: ['-d', `${SECONDS}s`, '--http-client', httpClient],
    });
    if (s.totals.errors > 0) throw new Error(`${name}: ${s.totals.errors} errors`);
    return measured(s.totals.requests, s.run.elapsedSec, r.cpuSec);
  },
});

async function gamePattern(): Promise<void> {
  const tools: GameTool[] = [
    loadgenGame('script (game.ts), undici', cli, join(BENCH_DIR, 'game-no-think.ts'), 'undici'),
    loadgenGame('script (game.ts), lean', cli, join(BENCH_DIR, 'game-no-think.ts'), 'lean'),
    loadgenGame('JSON form, undici', cli, join(BENCH_DIR, 'game-no-think.json'), 'undici'),
  ];
  // The engine before scripts (the JSON engine this one replaced), built from an older commit:
  // BENCH_BASELINE_CLI=/path/to/old/loadgen/dist/cli.js.
  const baseline = process.env.BENCH_BASELINE_CLI;
  if (baseline !== undefined) {
    tools.push(
      loadgenGame(
        'JSON engine before scripts, undici',
        baseline,
        join(BENCH_DIR, 'game-no-think.json'),
        'undici',
      ),
    );
  }
  if (hasCommand('locust')) {
    tools.push({
      name: 'Locust FastHttpUser',
      run: async (target) => {
        const prefix = join(work, 'locust');
        const r = await runToEnd([
          ...client,
          'locust',
          '-f',
          join(BENCH_DIR, 'locustfile.py'),
          '--headless',
          '-u',
          '50',
          '-r',
          '1000',
          '-t',
          `${SECONDS}s`,
          '-H',
          target,
          '--only-summary',
          '--csv',
          prefix,
        ]);
        const rows = readFileSync(`${prefix}_stats.csv`, 'utf8').trim().split('\n');
        const header = (rows[0] ?? '').split(',');
        const total = (rows.find((row) => row.includes(',Aggregated,')) ?? '').split(',');
        const requests = Number(total[header.indexOf('Request Count')]);
        if (!(requests > 0)) throw new Error(`locust output not understood: ${r.stderr.slice(-500)}`);
        return measured(requests, SECONDS, r.cpuSec);
      },
    });
  } else {
    console.log('locust not installed (apt-get install -y python3-locust): skipped');
  }
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'game-target.mjs'),
  ]);
  const target = `http://127.0.0.1:${port}`;
  console.log(`game pattern: 50 users, no think time, ${SECONDS} s each, ${ROUNDS} rounds, target ${target}`);
  const results = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const tool of tools) {
        const m = await tool.run(target);
        results.get(tool.name)?.push(m.rps);
        console.log(`  round ${round} ${tool.name.padEnd(36)} ${Math.round(m.rps)} req/s`);
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const med = new Map([...results].map(([k, v]) => [k, median(v)]));
  console.log('\nmedian over rounds:');
  for (const [k, v] of med) console.log(`  ${k.padEnd(36)} ${Math.round(v)} req/s`);
  // Same client on both sides (undici, the engine before scripts' default), then run's default now.
  for (const [client, mine] of [
    ['undici', 'script (game.ts), undici'],
    ['lean, the default', 'script (game.ts), lean'],
  ] as const) {
    const script = med.get(mine) as number;
    for (const [other, goal] of [
      ['JSON engine before scripts, undici', 0.9],
      ['JSON form, undici', undefined],
      ['Locust FastHttpUser', 4],
    ] as const) {
      const o = med.get(other);
      if (o === undefined) continue;
      console.log(
        `  script (${client}) / ${other} = ${fmtRatio(script / o, 2)}${goal === undefined ? '' : ` (target >= ${goal})`}`,
      );
    }
  }
}

export const gameBenchmark: Benchmark = {
  name: 'game',
  about: 'the game pattern, no think time: the game script (both clients), its JSON form, Locust: req/s',
  run: gamePattern,
};
