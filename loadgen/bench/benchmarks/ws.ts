// One loadgen process holding 10,000 mostly idle sockets (bench/ws-10k.ts) against
// bench/ws-target.mjs: its peak RSS.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startWithPort } from '../child-process.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, work } from '../settings.js';

/**
 * Each of the bench's 10,000 sockets is a file descriptor in loadgen and another in the target:
 * their processes start under `ulimit -n 65536`, or the hard limit when that is lower.
 */
const RAISE_FD_LIMIT = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"';
const withFdLimit = (argv: string[]): string[] => ['sh', '-c', `${RAISE_FD_LIMIT}; exec "$@"`, 'sh', ...argv];
const SOCKETS = 10_000;

/** One loadgen process holding 10,000 mostly idle sockets (bench/ws-10k.ts): its peak RSS. */
async function socketMemory(): Promise<void> {
  const limit = execFileSync('sh', ['-c', `${RAISE_FD_LIMIT}; ulimit -n`], { encoding: 'utf8' }).trim();
  if (limit !== 'unlimited' && Number(limit) < SOCKETS + 1024) {
    console.log(`sockets: skipped, the open-file limit can only reach ${limit} (needs ${SOCKETS + 1024})`);
    return;
  }
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
