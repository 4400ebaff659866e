// What one idle Socket.IO connection costs a client process, by the way it is spoken:
// socket.io-client, or ws with engine.io-parser and socket.io-parser (what loadgen does), or ws
// alone (bench/socketio-hold.mjs, each variant in a fresh process) against bench/socketio-target.mjs.
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, runToEnd, startWithPort } from '../child-process.js';
import { fdLimitFor, withFdLimit } from '../fd-limit.js';
import { BENCH_DIR, client } from '../settings.js';

const CONNECTIONS = Number(process.env.BENCH_SIO_CONNECTIONS ?? 5000);

async function socketIoClients(): Promise<void> {
  const limit = fdLimitFor(CONNECTIONS, 'socket.io clients');
  if (limit === undefined) return;
  const { child, port } = await startWithPort(
    withFdLimit([...pinPrefix(1), process.execPath, join(BENCH_DIR, 'socketio-target.mjs')]),
  );
  console.log(
    `socket.io clients: ${CONNECTIONS} idle connections held by one process, memory per connection`,
  );
  try {
    for (const variant of ['client', 'parsers', 'ws']) {
      const r = await runToEnd(
        withFdLimit([
          ...client,
          process.execPath,
          '--expose-gc',
          join(BENCH_DIR, 'socketio-hold.mjs'),
          variant,
          String(port),
          String(CONNECTIONS),
        ]),
      );
      if (r.code !== 0)
        throw new Error(`socketio-hold ${variant} failed (${r.code}): ${r.stderr.slice(-500)}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
        rssBytesPerConnection: number;
        heapBytesPerConnection: number;
        rssMb: number;
      };
      console.log(
        `  ${variant.padEnd(8)} RSS ${(m.rssBytesPerConnection / 1024).toFixed(1)} KB, JS heap ${(m.heapBytesPerConnection / 1024).toFixed(1)} KB per connection (process ${m.rssMb} MB)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

export const socketIoClientsBenchmark: Benchmark = {
  name: 'socketio-clients',
  about:
    'memory per idle Socket.IO connection: socket.io-client, ws + the protocol parsers (loadgen), ws alone',
  run: socketIoClients,
};
