// loadgen url (lean client, then undici) vs autocannon vs wrk on one bare node:http target, the
// client pinned to core 0 and the target to core 1. Rounds alternate the tools so background load
// on a shared machine hits them alike.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fmtRatio } from '../../src/model/number-format.js';
import type { Benchmark } from '../benchmark.js';
import { hasCommand, pinPrefix, runToEnd, startWithPort } from '../child-process.js';
import { type Measured, measured, measuredRun, median } from '../measured.js';
import { BENCH_DIR, CONNECTIONS, client, loadgenUrlArgv, ROUNDS, SECONDS, work } from '../settings.js';

type Tool = { name: string; run: (url: string) => Promise<Measured> };

const autocannonBin = join(
  dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
  'autocannon.js',
);

/** `loadgen url` with one HTTP client; its summary gives requests and elapsed time. */
const loadgenUrl =
  (httpClient: 'lean' | 'undici'): Tool['run'] =>
  async (url) => {
    const out = join(work, `url-${httpClient}`);
    const r = await runToEnd([...client, ...loadgenUrlArgv(url, out), '--http-client', httpClient]);
    if (r.code !== 0) throw new Error(`loadgen url failed: ${r.stderr}`);
    return measuredRun(out, r.cpuSec);
  };

function tools(): Tool[] {
  const list: Tool[] = [
    // The default (lean) is the one the targets are about; undici, the default for https://, alongside.
    { name: 'loadgen url', run: loadgenUrl('lean') },
    { name: 'loadgen url (undici)', run: loadgenUrl('undici') },
    {
      name: 'autocannon',
      run: async (url) => {
        const r = await runToEnd([
          ...client,
          process.execPath,
          autocannonBin,
          '-j',
          '-c',
          String(CONNECTIONS),
          '-d',
          String(SECONDS),
          url,
        ]);
        const j = JSON.parse(r.stdout) as { requests: { total: number }; duration: number };
        return measured(j.requests.total, j.duration, r.cpuSec);
      },
    },
  ];
  if (hasCommand('wrk')) {
    list.push({
      name: 'wrk',
      run: async (url) => {
        const r = await runToEnd([...client, 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url]);
        const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout);
        if (m === null) throw new Error(`wrk output not understood: ${r.stdout}`);
        return measured(Number(m[1]), Number(m[2]) / (m[3] === 'ms' ? 1000 : 1), r.cpuSec);
      },
    });
  } else {
    console.log('wrk not installed (apt-get install -y wrk): skipped');
  }
  return list;
}

async function throughput(): Promise<void> {
  const compared = tools();
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'bare-target.mjs'),
  ]);
  const url = `http://127.0.0.1:${port}/`;
  console.log(
    `throughput: ${CONNECTIONS} connections, ${SECONDS} s each, ${ROUNDS} rounds, client ${client.length ? 'on core 0' : 'unpinned'}, target ${url}`,
  );
  const results = new Map<string, Measured[]>(compared.map((t) => [t.name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const tool of compared) {
        const m = await tool.run(url);
        results.get(tool.name)?.push(m);
        console.log(
          `  round ${round} ${tool.name.padEnd(20)} ${Math.round(m.rps)} req/s  ${m.cpuUsPerReq?.toFixed(1) ?? 'n/a'} CPU µs/req`,
        );
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const med = new Map(
    [...results].map(([k, v]) => [
      k,
      { rps: median(v.map((m) => m.rps)), cpu: median(v.map((m) => m.cpuUsPerReq ?? Number.NaN)) },
    ]),
  );
  console.log('\nmedian over rounds:');
  for (const [k, v] of med)
    console.log(`  ${k.padEnd(20)} ${Math.round(v.rps)} req/s  ${v.cpu.toFixed(1)} CPU µs/req`);
  for (const [mine, other, goal] of [
    ['loadgen url', 'autocannon', 1.0],
    ['loadgen url', 'wrk', 0.8],
    ['loadgen url (undici)', 'autocannon', undefined],
  ] as const) {
    const lg = med.get(mine);
    const o = med.get(other);
    if (lg === undefined || o === undefined) continue;
    console.log(
      `  ${mine} / ${other} = ${fmtRatio(lg.rps / o.rps, 2)} req/s${goal === undefined ? '' : ` (target >= ${goal})`}, ` +
        `${fmtRatio(o.cpu / lg.cpu, 2)} requests per CPU-second`,
    );
  }
}

export const throughputBenchmark: Benchmark = {
  name: 'throughput',
  about:
    'loadgen url (lean, undici) vs autocannon vs wrk on a bare node:http target: req/s and CPU per request',
  run: throughput,
};
