// One loadgen process holding 10,000 idle Socket.IO players (bench/socketio-10k.ts) against
// bench/socketio-target.mjs pinging every 5 s: its peak RSS, and whether every ping was answered.
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startWithPort } from '../child-process.js';
import { fdLimitFor, withFdLimit } from '../fd-limit.js';
import { runLoadgen } from '../run-loadgen.js';
import { BENCH_DIR, work } from '../settings.js';

const PLAYERS = Number(process.env.BENCH_SIO_PLAYERS ?? 10_000);
const RUN_SECONDS = Number(process.env.BENCH_SIO_SECONDS ?? 50);

async function socketIoMemory(): Promise<void> {
  // Each connection is a file descriptor in loadgen and another in the target.
  const limit = fdLimitFor(PLAYERS, 'socket.io memory');
  if (limit === undefined) return;
  const { child, port } = await startWithPort(
    withFdLimit([
      'env',
      'PING_INTERVAL_MS=5000',
      ...pinPrefix(1),
      process.execPath,
      join(BENCH_DIR, 'socketio-target.mjs'),
    ]),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    const { r, summary: s } = await runLoadgen<{
      totals: { peakConnected?: number };
      endpoints: Array<{ endpoint: string; errors: number; latencyMs: { p50: number; p99: number } }>;
      ws?: { messages: Array<{ type: string; protocol?: string; sent: number; received: number }> };
    }>({
      scenario: join(BENCH_DIR, 'socketio-10k.ts'),
      target: url,
      out: join(work, 'rss-socketio'),
      args: ['-u', String(PLAYERS), '-d', `${RUN_SECONDS}s`, '--threshold', `ccu>=${PLAYERS}`],
      wrap: withFdLimit,
    });
    const server = (await (await fetch(`${url}/count`)).json()) as {
      pongs: number;
      disconnects: Record<string, number>;
    };
    const connect = s.endpoints.find((e) => e.endpoint === 'sio connect');
    const pongs = s.ws?.messages.find((m) => m.protocol === 'socket.io' && m.type === '(pong)')?.sent ?? 0;
    console.log(
      `memory, socket.io: ${PLAYERS} idle players, one connection each, pinged every 5 s (${RUN_SECONDS} s, open-file limit ${limit}): ` +
        `peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (goal <= 400), peak connected ${s.totals.peakConnected}, ` +
        `connections p50 ${connect?.latencyMs.p50} ms, p99 ${connect?.latencyMs.p99} ms, ${connect?.errors} failed; ` +
        `${pongs} pongs sent, ${server.pongs} received by the server; disconnects ${JSON.stringify(server.disconnects)}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

export const socketIoMemoryBenchmark: Benchmark = {
  name: 'socketio-memory',
  about: 'peak RSS of one loadgen process holding 10,000 idle Socket.IO players (pings every 5 s, 50 s)',
  run: socketIoMemory,
};
