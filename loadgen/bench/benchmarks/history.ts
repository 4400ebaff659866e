// `loadgen history` over 1,000 summaries of 12 endpoints each (the largest history it is meant for): the
// time and peak RSS of the built CLI reading them, grouping them and finding every change point.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { steppedSeries } from '../../test/history/helpers/synthetic-series.js';
import { makeSummary } from '../../test/report/helpers/summary-factory.js';
import type { Benchmark } from '../benchmark.js';
import { runToEnd } from '../child-process.js';
import { median } from '../measured.js';
import { cli, client, ROUNDS, work } from '../settings.js';

const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 1000);
const ENDPOINTS = 12;
/** Seconds per generated run: one time window each, with a histogram per endpoint, as a run writes. */
const SECONDS = 60;

/**
 * RUNS summaries in `<dir>/<testid>/summary.json`, a day apart, of a 60 s run of 12 endpoints:
 * one summary made by loadgen's own recorder (real histograms and windows, so each file has the
 * size a run's has), copied with each run's own figures (3% noise, one endpoint +20% from the
 * middle run on) in place of the copy's.
 */
function writeHistory(dir: string): number {
  const names = Array.from({ length: ENDPOINTS }, (_, i) => `GET /api/e${String(i).padStart(2, '0')}`);
  const template = makeSummary({
    testid: 'template',
    pattern: 'game',
    seconds: SECONDS,
    users: () => 50,
    endpoints: Object.fromEntries(
      names.map((n, i) => [
        n,
        { perSecond: () => 20, latencyMs: (_t: number, k: number) => 20 + 5 * i + (k % 7) * 0.3 },
      ]),
    ),
  });
  const levels = names.map((_, i) =>
    steppedSeries({
      length: RUNS,
      noise: 0.03,
      seed: i + 1,
      steps: i === 0 ? [{ at: RUNS / 2, factor: 1.2 }] : [],
    }),
  );
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const testid = `nightly-${String(r).padStart(4, '0')}`;
    const startedAt = new Date(Date.UTC(2024, 0, 1) + r * 86_400_000).toISOString();
    const summary = {
      ...template,
      run: { ...template.run, testid, startedAt, provenance: { tags: { commit: `c${r}` }, host: 'bench' } },
      endpoints: template.endpoints.map((e, i) => {
        const scale = (levels[i]?.[r] ?? 100) / 100;
        const latencyMs = Object.fromEntries(Object.entries(e.latencyMs).map(([k, v]) => [k, v * scale]));
        return { ...e, latencyMs };
      }),
    };
    const text = JSON.stringify(summary, null, 2);
    bytes += text.length;
    mkdirSync(join(dir, testid), { recursive: true });
    writeFileSync(join(dir, testid, 'summary.json'), text);
  }
  return bytes;
}

async function history(): Promise<void> {
  const dir = join(work, 'history-results');
  try {
    await measure(dir, writeHistory(dir));
  } finally {
    // 200 MB of generated summaries: not left in the temp directory.
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(dir: string, bytes: number): Promise<void> {
  console.log(
    `history: ${RUNS} summaries of ${ENDPOINTS} endpoints (${SECONDS} windows each), ${(bytes / 1e6).toFixed(0)} MB in ${dir}`,
  );
  for (const [label, extra] of [
    ['terminal tables', []],
    ['--html and --csv too', ['--html', join(work, 'history.html'), '--csv', join(work, 'history-csv')]],
  ] as const) {
    const times: number[] = [];
    const rss: number[] = [];
    let found = '';
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const r = await runToEnd([...client, process.execPath, cli, 'history', dir, ...extra]);
      times.push(performance.now() - started);
      if (r.peakRssMb !== undefined) rss.push(r.peakRssMb);
      if (r.code !== 0) throw new Error(`loadgen history exited ${r.code}: ${r.stderr}`);
      found = /(\d+) regression\(s\)|no regression/.exec(r.stdout)?.[0] ?? '';
      const cps = (r.stdout.match(/^\s+from run \d+:/gm) ?? []).length;
      found += `, ${cps} change point(s) listed`;
    }
    console.log(
      `history, ${label}: median ${(median(times) / 1000).toFixed(2)} s (goal < 5 s), peak RSS ${rss.length > 0 ? median(rss).toFixed(0) : 'n/a'} MB (goal < 300), over ${ROUNDS} round(s); ${found}`,
    );
  }
}

export const historyBenchmark: Benchmark = {
  name: 'history',
  about: 'loadgen history over 1,000 summaries of 12 endpoints: time and peak RSS (BENCH_HISTORY_RUNS)',
  run: history,
};
