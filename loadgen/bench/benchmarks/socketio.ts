// Socket.IO emit-with-ack, 50 players with no think time, loadgen (bench/socketio-ack.ts) against
// Artillery 2's socketio engine, on bench/socketio-target.mjs. Each client in turn, pinned to
// core 0 (the target on core 1); the acks are counted by the server over the same steady window.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmtRatio } from '../../src/model/number-format.js';
import { artilleryAckScript, artilleryCli, artilleryVersion } from '../artillery.js';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startPolled, startWithPort } from '../child-process.js';
import { median } from '../measured.js';
import { BENCH_DIR, cli, client, ROUNDS, SECONDS, work } from '../settings.js';

interface Counts {
  acks: number;
  connected: number;
}

interface Measured {
  acksPerSec: number;
  connected: number;
  peakRssMb: number | undefined;
}

/** Run a client until the server has counted its acks over SECONDS of steady state, then stop it. */
async function measure(argv: string[], count: () => Promise<Counts>): Promise<Measured> {
  const before = (await count()).acks;
  const { child, done } = startPolled(argv);
  const exited = done.then((r) => {
    throw new Error(`${argv.join(' ')} exited early (${r.code}): ${r.stderr.slice(-800)}`);
  });
  try {
    const started = Date.now();
    // Every player connected and acks coming.
    for (;;) {
      const c = await Promise.race([count(), exited]);
      if (c.connected >= 50 && c.acks > before) break;
      if (Date.now() - started > 60_000)
        throw new Error(`${argv.join(' ')}: not 50 players acking within 60 s`);
      await sleep(100);
    }
    await sleep(1000); // past the start
    const [c0, t0] = [await count(), performance.now()];
    await Promise.race([sleep(SECONDS * 1000), exited]);
    const [c1, t1] = [await count(), performance.now()];
    child.kill('SIGINT');
    const r = await done;
    return {
      acksPerSec: ((c1.acks - c0.acks) * 1000) / (t1 - t0),
      connected: c1.connected,
      peakRssMb: r.peakRssMb,
    };
  } finally {
    child.kill('SIGKILL');
    exited.catch(() => undefined);
  }
}

async function socketIoAcks(): Promise<void> {
  const artillery = artilleryCli();
  const { child: target, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(BENCH_DIR, 'socketio-target.mjs'),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const count = async (): Promise<Counts> => (await fetch(`${url}/count`)).json() as Promise<Counts>;
  const script = join(work, 'artillery-socketio.yml');
  writeFileSync(script, artilleryAckScript(url));
  const clients: Array<[string, string[]]> = [
    [
      'loadgen',
      [
        ...client,
        process.execPath,
        cli,
        'run',
        join(BENCH_DIR, 'socketio-ack.ts'),
        '-t',
        url,
        '-d',
        '600s',
        '--metrics-linger',
        '0',
        '-o',
        join(work, 'socketio-ack'),
      ],
    ],
  ];
  if (artillery !== undefined) {
    console.log(`artillery ${artilleryVersion()}`);
    clients.push(['Artillery 2 (socketio engine)', [...client, process.execPath, artillery, 'run', script]]);
  }
  console.log(
    `socket.io: 50 players, emit with ack, no think time, ${SECONDS} s measured by the server, ${ROUNDS} rounds, target ${url}`,
  );
  const results = new Map<string, Measured[]>(clients.map(([name]) => [name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, argv] of clients) {
        const m = await measure(argv, count);
        results.get(name)?.push(m);
        console.log(
          `  round ${round} ${name.padEnd(30)} ${Math.round(m.acksPerSec)} acks/s, ${m.connected} connections, peak RSS ${m.peakRssMb?.toFixed(0) ?? 'n/a'} MB`,
        );
        // Let the server see the last connections go before the next client.
        while ((await count()).connected > 0) await sleep(100);
      }
    }
  } finally {
    target.kill('SIGTERM');
  }
  const med = (name: string, f: (m: Measured) => number | undefined) => {
    const xs = (results.get(name) ?? []).map(f).filter((x): x is number => x !== undefined);
    return xs.length === 0 ? undefined : median(xs);
  };
  console.log('median over rounds:');
  for (const [name] of clients) {
    console.log(
      `  ${name.padEnd(30)} ${Math.round(med(name, (m) => m.acksPerSec) ?? 0)} acks/s, peak RSS ${med(name, (m) => m.peakRssMb)?.toFixed(0) ?? 'n/a'} MB`,
    );
  }
  const a = med('Artillery 2 (socketio engine)', (m) => m.acksPerSec);
  if (a !== undefined) {
    console.log(
      `  loadgen / Artillery = ${fmtRatio((med('loadgen', (m) => m.acksPerSec) ?? 0) / a, 2)} acks/s (target >= 3)`,
    );
  }
}

export const socketIoBenchmark: Benchmark = {
  name: 'socketio',
  about:
    'Socket.IO emit with ack, 50 players, no think time: loadgen against Artillery 2, acks/s and peak RSS',
  run: socketIoAcks,
};
