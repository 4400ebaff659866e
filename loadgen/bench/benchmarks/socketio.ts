// Socket.IO emit-with-ack, 50 players with no think time, loadgen (bench/socketio-ack.ts) against
// Artillery 2's socketio engine, on bench/socketio-target.mjs. Each client in turn, pinned to
// core 0 (the target on core 1); the acks are counted by the server over the same steady window.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmtRatio } from '../../src/model/number-format.js';
import { artilleryAckScript, artilleryCli, artilleryVersion } from '../artillery.js';
import type { Benchmark } from '../benchmark.js';
import { pinPrefix, startPolled, startWithPort, treeCpuSec } from '../child-process.js';
import { median } from '../measured.js';
import { BENCH_DIR, cli, client, ROUNDS, SECONDS, work } from '../settings.js';

interface Counts {
  acks: number;
  connected: number;
}

interface Measured {
  acksPerSec: number;
  /** The client's CPU (its whole process tree) per ack over the measured window, µs. */
  cpuUsPerAck: number | undefined;
  /** Share of one core the target used over the window: near 1, the server is the limit. */
  targetBusy: number | undefined;
  connected: number;
  peakRssMb: number | undefined;
}

/** Run a client until the server has counted its acks over SECONDS of steady state, then stop it. */
async function measure(
  argv: string[],
  count: () => Promise<Counts>,
  targetPid: number | undefined,
): Promise<Measured> {
  const cpu = (pid: number | undefined) => (pid === undefined ? undefined : treeCpuSec(pid));
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
    const [c0, t0, client0, target0] = [await count(), performance.now(), cpu(child.pid), cpu(targetPid)];
    await Promise.race([sleep(SECONDS * 1000), exited]);
    const [c1, t1, client1, target1] = [await count(), performance.now(), cpu(child.pid), cpu(targetPid)];
    const acks = c1.acks - c0.acks;
    child.kill('SIGINT');
    const r = await done;
    return {
      acksPerSec: (acks * 1000) / (t1 - t0),
      cpuUsPerAck:
        client0 === undefined || client1 === undefined || acks === 0
          ? undefined
          : ((client1 - client0) * 1e6) / acks,
      targetBusy:
        target0 === undefined || target1 === undefined ? undefined : ((target1 - target0) * 1000) / (t1 - t0),
      connected: c1.connected,
      peakRssMb: r.peakRssMb,
    };
  } finally {
    child.kill('SIGKILL');
    exited.catch(() => undefined);
  }
}

const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${Math.round(x * 100)}%`);

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
        const m = await measure(argv, count, target.pid);
        results.get(name)?.push(m);
        console.log(
          `  round ${round} ${name.padEnd(30)} ${Math.round(m.acksPerSec)} acks/s, ${m.connected} connections, peak RSS ${m.peakRssMb?.toFixed(0) ?? 'n/a'} MB, ${m.cpuUsPerAck?.toFixed(1) ?? 'n/a'} µs client CPU per ack, target ${pct(m.targetBusy)} busy`,
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
  const line = (name: string) =>
    `${Math.round(med(name, (m) => m.acksPerSec) ?? 0)} acks/s, peak RSS ${med(name, (m) => m.peakRssMb)?.toFixed(0) ?? 'n/a'} MB, ${med(name, (m) => m.cpuUsPerAck)?.toFixed(1) ?? 'n/a'} µs client CPU per ack, target ${pct(med(name, (m) => m.targetBusy))} busy`;
  for (const [name] of clients) {
    console.log(`  ${name.padEnd(30)} ${line(name)}`);
  }
  const a = med('Artillery 2 (socketio engine)', (m) => m.acksPerSec);
  if (a !== undefined) {
    console.log(
      `  loadgen / Artillery = ${fmtRatio((med('loadgen', (m) => m.acksPerSec) ?? 0) / a, 2)} acks/s (target >= 3)`,
    );
    const ownCpu = med('loadgen', (m) => m.cpuUsPerAck);
    const theirCpu = med('Artillery 2 (socketio engine)', (m) => m.cpuUsPerAck);
    if (ownCpu !== undefined && theirCpu !== undefined)
      // When the target is near 100% busy, acks/s is the server's ceiling, not the client's:
      // CPU per ack is then what tells the clients apart (acks per client core).
      console.log(
        `  Artillery / loadgen client CPU per ack = ${fmtRatio(theirCpu / ownCpu, 2)} (acks per client core)`,
      );
  }
}

export const socketIoBenchmark: Benchmark = {
  name: 'socketio',
  about:
    'Socket.IO emit with ack, 50 players, no think time: loadgen against Artillery 2, acks/s and peak RSS',
  run: socketIoAcks,
};
