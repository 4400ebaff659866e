// Two ways of running the same thing, in alternating rounds against one target on its own core
// (a bare node:http server unless told), so background load on a shared machine hits both alike;
// prints each round, the medians and the ratio second / first. The `dashboard`, `health` and
// `custom` benchmarks use it.
import { join } from 'node:path';
import { fmtRatio } from '../src/model/number-format.js';
import { pinPrefix, startWithPort } from './child-process.js';
import { type Measured, median } from './measured.js';
import { BENCH_DIR, ROUNDS } from './settings.js';

export interface Variant {
  name: string;
  run: (url: string) => Promise<Measured>;
}

/**
 * Run `base` and `other` ROUNDS times each, alternating; `goal` is the least acceptable ratio.
 * `target`: the server script of bench/ they load (it prints its port), bare-target.mjs by default.
 * `after`: one more measurement against the same target once the rounds are done.
 */
export async function sideBySide(
  title: string,
  base: Variant,
  other: Variant,
  goal: number,
  target = 'bare-target.mjs',
  after?: (url: string) => Promise<void>,
): Promise<void> {
  const { child, port } = await startWithPort([...pinPrefix(1), process.execPath, join(BENCH_DIR, target)]);
  const url = `http://127.0.0.1:${port}/`;
  console.log(`${title}: ${ROUNDS} rounds, target ${url}`);
  const results = new Map<string, Measured[]>([
    [base.name, []],
    [other.name, []],
  ]);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const v of round % 2 === 1 ? [base, other] : [other, base]) {
        const m = await v.run(url);
        results.get(v.name)?.push(m);
        console.log(
          `  round ${round} ${v.name.padEnd(40)} ${Math.round(m.rps)} req/s  ${m.cpuUsPerReq?.toFixed(1) ?? 'n/a'} CPU µs/req`,
        );
      }
    }
    await after?.(url);
  } finally {
    child.kill('SIGTERM');
  }
  const rps = (name: string) => median((results.get(name) ?? []).map((m) => m.rps));
  const cpu = (name: string) => median((results.get(name) ?? []).map((m) => m.cpuUsPerReq ?? Number.NaN));
  console.log('median over rounds:');
  for (const v of [base, other])
    console.log(
      `  ${v.name.padEnd(40)} ${Math.round(rps(v.name))} req/s  ${cpu(v.name).toFixed(1)} CPU µs/req`,
    );
  console.log(
    `  ${other.name} / ${base.name} = ${fmtRatio(rps(other.name) / rps(base.name))} req/s (target >= ${goal}), ` +
      `${fmtRatio(cpu(base.name) / cpu(other.name))} requests per CPU-second`,
  );
  // Each round's two runs follow each other within seconds: their ratio leaves out the slower
  // drift of a shared machine that moves whole rounds (seen: one variant from 28k to 45k req/s).
  const a = results.get(base.name) ?? [];
  const b = results.get(other.name) ?? [];
  const paired = a.map((m, i) => (b[i]?.rps ?? Number.NaN) / m.rps).sort((x, y) => x - y);
  const spread = Math.max(...a.map((m) => m.rps)) / Math.min(...a.map((m) => m.rps));
  console.log(
    `  paired by round: median ${fmtRatio(median(paired))}, range ${fmtRatio(paired[0] ?? Number.NaN)}–${fmtRatio(paired.at(-1) ?? Number.NaN)}; ` +
      `${base.name} alone moved ${fmtRatio(spread)} between its rounds (this machine's noise)`,
  );
}
