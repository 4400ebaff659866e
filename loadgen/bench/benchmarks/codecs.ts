// MessagePack binary frames against JSON text frames of the same message: 50 players echoing
// with no think time (bench/ws-echo.ts), alternating rounds, client on core 0 and
// bench/ws-echo-target.mjs on core 1.
import { join } from 'node:path';
import { fmtRatio } from '../../src/model/number-format.js';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startWithPort } from '../child-process.js';
import { type Measured, measured, median } from '../measured.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, ROUNDS, SECONDS, work } from '../settings.js';

type Echoes = {
  endpoints: Array<{ endpoint: string; count: number; errors: number }>;
  run: { elapsedSec: number };
};

async function echo(codec: 'json' | 'msgpack', target: string): Promise<Measured> {
  const { r, summary: s } = await runLoadgen<Echoes>({
    scenario: join(BENCH_DIR, 'ws-echo.ts'),
    target,
    out: join(work, `echo-${codec}`),
    args: ['-d', `${SECONDS}s`],
    wrap: (argv) => ['env', `ECHO_CODEC=${codec}`, ...argv],
  });
  const e = s.endpoints.find((x) => x.endpoint === 'ws echo');
  if (e === undefined || e.errors > 0)
    throw new Error(`${codec} echo: ${e?.errors ?? 'no'} errors, ${e?.count ?? 0} echoes`);
  return measured(e.count, s.run.elapsedSec, r.cpuSec);
}

async function codecs(): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'ws-echo-target.mjs'),
  ]);
  const target = `http://127.0.0.1:${port}`;
  console.log(
    `codecs: 50 players echoing, no think time, ${SECONDS} s each, ${ROUNDS} rounds, target ${target}`,
  );
  const rates = { json: [] as number[], msgpack: [] as number[] };
  const cpu = { json: [] as number[], msgpack: [] as number[] };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const codec of ['json', 'msgpack'] as const) {
        const m = await echo(codec, target);
        rates[codec].push(m.rps);
        if (m.cpuUsPerReq !== undefined) cpu[codec].push(m.cpuUsPerReq);
        console.log(
          `  round ${round} ${codec.padEnd(8)} ${Math.round(m.rps)} echoes/s, ${m.cpuUsPerReq?.toFixed(1) ?? 'n/a'} µs CPU per echo`,
        );
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const [json, msgpack] = [median(rates.json), median(rates.msgpack)];
  console.log(`median: JSON ${Math.round(json)} echoes/s, MessagePack ${Math.round(msgpack)} echoes/s`);
  if (cpu.json.length > 0 && cpu.msgpack.length > 0) {
    console.log(
      `client CPU per echo (median): JSON ${median(cpu.json).toFixed(1)} µs, MessagePack ${median(cpu.msgpack).toFixed(1)} µs`,
    );
  }
  console.log(`  msgpack / JSON = ${fmtRatio(msgpack / json, 2)} (target >= 0.9)`);
}

export const codecsBenchmark: Benchmark = {
  name: 'codecs',
  about: 'MessagePack binary echo against JSON echo of the same message, 50 players, no think time: echoes/s',
  run: codecs,
};
