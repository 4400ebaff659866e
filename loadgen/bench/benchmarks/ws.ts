// One loadgen process holding 10,000 mostly idle sockets (bench/ws-10k.ts) against
// bench/ws-target.mjs: its peak RSS.
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startWithPort } from '../child-process.js';
import { fdLimitFor, withFdLimit } from '../fd-limit.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, work } from '../settings.js';

const SOCKETS = 10_000;

/** One loadgen process holding 10,000 mostly idle sockets (bench/ws-10k.ts): its peak RSS. */
async function socketMemory(): Promise<void> {
  // Each socket is a file descriptor in loadgen and another in the target.
  const limit = fdLimitFor(SOCKETS, 'sockets');
  if (limit === undefined) return;
  const { child, port } = await startWithPort(
    withFdLimit([...pinPrefix(1), process.execPath, join(BENCH_DIR, 'ws-target.mjs')]),
  );
  try {
    const { r, summary: s } = await runLoadgen<{
      totals: { peakConnected?: number };
      endpoints: Array<{
        endpoint: string;
        count: number;
        errors: number;
        latencyMs: { p50: number; p99: number };
      }>;
      ws?: { connects: number; messages: Array<{ type: string; sent: number; received: number }> };
    }>({
      scenario: join(BENCH_DIR, 'ws-10k.ts'),
      target: `http://127.0.0.1:${port}`,
      out: join(work, 'rss-ws'),
      wrap: withFdLimit,
    });
    const e = (name: string) => s.endpoints.find((x) => x.endpoint === name);
    const pings = s.ws?.messages.find((m) => m.type === 'ping')?.sent ?? 0;
    const errors = s.endpoints.reduce((n, x) => n + x.errors, 0);
    console.log(
      `memory, sockets: ${SOCKETS} players, one socket each, a ping every 3-5 s (50 s, open-file limit ${limit}): ` +
        `peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (target < 400), peak connected ${s.totals.peakConnected}, ` +
        `${s.ws?.connects} handshakes (p50 ${e('ws connect')?.latencyMs.p50} ms, p99 ${e('ws connect')?.latencyMs.p99} ms), ` +
        `${pings} pings (${Math.round(pings / 50)}/s; reply p50 ${e('ws ping')?.latencyMs.p50} ms, p99 ${e('ws ping')?.latencyMs.p99} ms), ${errors} errors`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

export const wsBenchmark: Benchmark = {
  name: 'ws',
  about: 'peak RSS of one loadgen process holding 10,000 sockets (a ping every 3-5 s, 50 s)',
  run: socketMemory,
};
