/**
 * WebSocket scale bench (`BENCH_SUITE=ws npm run bench -w services/game-api`), not part of the
 * tests: one game-api process (pinned to core 1 when taskset exists) holds BENCH_WS_SOCKETS
 * sockets (10,000) of players in matches of two, driven by BENCH_WS_CLIENTS client processes
 * (`ws-clients.ts`, 2, pinned to core 0) that send moves totalling BENCH_WS_RATE per second
 * (2,000). Reports the fan-out delay of the `moved` pushes as the clients saw it (`now - ts`,
 * ts being the server's receive time of the move) and as the server's
 * game_api_ws_fanout_delay_seconds histogram saw it, the server's RSS and CPU.
 *
 * Needs MySQL and Redis as the other bench, and an open-file limit above the socket count: the
 * npm script raises it with `ulimit -n` (one descriptor per socket on the server, one per socket
 * in the clients). Env: MYSQL_URL, REDIS_URL, BENCH_WS_SOCKETS, BENCH_WS_RATE, BENCH_WS_CLIENTS,
 * BENCH_WS_WARMUP (s, 5), BENCH_WS_DURATION (s, 30), BENCH_WS_PIN (0: no taskset).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { TokenService } from '../src/auth/token-service.js';
import { splitMysqlUrl } from '../src/db/database.js';
import { hasTaskset, startTarget } from './targets.js';
import type { ClientsJob, FromClients, ToClients } from './ws-clients.js';

const sockets = Number(process.env.BENCH_WS_SOCKETS ?? 10_000);
const rate = Number(process.env.BENCH_WS_RATE ?? 2000);
const clientCount = Number(process.env.BENCH_WS_CLIENTS ?? 2);
const warmupS = Number(process.env.BENCH_WS_WARMUP ?? 5);
const durationS = Number(process.env.BENCH_WS_DURATION ?? 30);
const TARGET_P95_MS = 50;
const benchMysqlUrl = new URL(
  'game_load_lab_bench',
  splitMysqlUrl(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').serverUrl,
).toString();

function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft ?? 1024);
}

const rssBytes = (pid: number): number => {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
};

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;

/** Cumulative bucket counts of one histogram from a Prometheus exposition, plus a few scalars. */
function scrape(text: string) {
  const buckets = new Map<number, number>();
  const scalar = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ').pop()) : Number.NaN;
  };
  for (const line of text.split('\n')) {
    const m = /^game_api_ws_fanout_delay_seconds_bucket\{le="([^"]+)"\} (\S+)/.exec(line);
    if (m) buckets.set(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  }
  const gcSeconds = text
    .split('\n')
    .filter((l) => l.startsWith('nodejs_gc_duration_seconds_sum'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  return {
    buckets,
    gcSeconds,
    cpuSeconds: scalar('process_cpu_seconds_total'),
    connections: scalar('game_api_ws_connections'),
    loopLagP99: scalar('nodejs_eventloop_lag_p99_seconds'),
  };
}

/** The p-th percentile from histogram deltas, interpolated linearly inside its bucket. */
function histogramPercentile(before: Map<number, number>, after: Map<number, number>, p: number) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = delta[delta.length - 1] ?? 0;
  const rank = (p / 100) * total;
  for (let i = 0; i < bounds.length; i++) {
    if (delta[i]! >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const below = i === 0 ? 0 : delta[i - 1]!;
      const upper = bounds[i]!;
      if (!Number.isFinite(upper)) return { value: lower, upper, total };
      const within = delta[i]! - below;
      return { value: lower + (within ? ((rank - below) / within) * (upper - lower) : 0), upper, total };
    }
  }
  return { value: Number.NaN, upper: Number.NaN, total };
}

function startClients(pin: boolean): ChildProcess {
  const file = fileURLToPath(new URL('./ws-clients.ts', import.meta.url));
  const args = ['--import', 'tsx', file];
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  return pin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio })
    : spawn(process.execPath, args, { stdio });
}

const nextMessage = <K extends FromClients['kind']>(child: ChildProcess, kind: K) =>
  new Promise<Extract<FromClients, { kind: K }>>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`a client process exited (${code}) before "${kind}"`));
    const onMessage = (m: FromClients) => {
      if (m.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<FromClients, { kind: K }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

export async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit < sockets + 1000) {
    throw new Error(
      `open-file limit ${limit} is below ${sockets + 1000}: run it through the npm script (it raises the limit with ulimit -n) or raise it yourself`,
    );
  }
  // BENCH_WS_PIN=0: let the scheduler place everything (on a machine others load, a pinned
  // process cannot move off a busy core).
  const pin = process.env.BENCH_WS_PIN !== '0' && hasTaskset();
  if (pin) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const secret = randomBytes(32).toString('hex');
  const prefix = `bench:${randomBytes(3).toString('hex')}:`;
  process.stdout.write(
    `ws scale bench: ${sockets} sockets, ${rate} moves/s, ${clientCount} client processes, ${warmupS}s warm-up + ${durationS}s measured, ${pin ? 'game-api on core 1, clients on core 0' : 'no taskset: unpinned'}\n`,
  );
  const api = await startTarget(
    '../src/main.ts',
    {
      PORT: '0',
      MYSQL_URL: benchMysqlUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: secret,
      PASSWORD_PEPPER: randomBytes(32).toString('hex'),
      BCRYPT_COST: '4',
      HASH_WORKERS: '1',
      LOG_LEVEL: 'info',
    },
    pin ? 1 : undefined,
  );
  const emptyRss = rssBytes(api.pid);
  const db = await createConnection({ uri: benchMysqlUrl });
  const namePrefix = `ws${randomBytes(3).toString('hex')}_`;
  const clients: ChildProcess[] = [];
  try {
    // Players straight into MySQL and tokens signed here: 10,000 bcrypt logins would measure bcrypt.
    const names = Array.from({ length: sockets }, (_, i) => `${namePrefix}${i}`);
    await db.query('INSERT INTO users (username, password_hash) VALUES ?', [names.map((n) => [n, '-'])]);
    const [rows] = await db.query('SELECT id, username FROM users WHERE username LIKE ?', [`${namePrefix}%`]);
    const tokens = new TokenService(secret, 3600);
    const signed = (rows as { id: number; username: string }[]).map((r) =>
      tokens.sign({ userId: r.id, username: r.username }),
    );

    const share = Math.ceil(signed.length / clientCount);
    for (let i = 0; i < clientCount; i++) {
      const child = startClients(pin);
      clients.push(child);
      const job: ClientsJob = {
        url: `${api.url.replace(/^http/, 'ws')}/ws`,
        tokens: signed.slice(i * share, (i + 1) * share),
        rate: rate / clientCount,
        connectConcurrency: 100,
      };
      child.send({ kind: 'job', job } satisfies ToClients);
    }
    const ready = await Promise.all(clients.map((c) => nextMessage(c, 'ready')));
    const matched = ready.reduce((n, r) => n + r.matched, 0);
    const failed = ready.reduce((n, r) => n + r.failed, 0);
    const connectS = Math.max(...ready.map((r) => r.connectMs)) / 1000;
    const idleRss = rssBytes(api.pid);
    process.stdout.write(
      `connected and matched ${matched} sockets (${failed} failed) in ${connectS.toFixed(1)} s; game-api RSS ${(emptyRss / 2 ** 20).toFixed(0)} MB before, ${(idleRss / 2 ** 20).toFixed(0)} MB with them\n`,
    );

    for (const c of clients) c.send({ kind: 'go' } satisfies ToClients);
    await sleep(warmupS * 1000);
    const before = scrape(await (await fetch(`${api.url}/metrics`)).text());
    for (const c of clients) c.send({ kind: 'measure' } satisfies ToClients);
    const started = performance.now();
    let peakRss = 0;
    while (performance.now() - started < durationS * 1000) {
      await sleep(1000);
      peakRss = Math.max(peakRss, rssBytes(api.pid));
    }
    const results = Promise.all(clients.map((c) => nextMessage(c, 'result')));
    for (const c of clients) c.send({ kind: 'stop' } satisfies ToClients);
    const measuredS = (performance.now() - started) / 1000;
    const [after, done] = await Promise.all([
      fetch(`${api.url}/metrics`).then(async (res) => scrape(await res.text())),
      results,
    ]);

    const all = new Float64Array(done.reduce((n, r) => n + r.samples.length, 0));
    let o = 0;
    for (const r of done) for (const s of r.samples) all[o++] = s;
    all.sort();
    const sent = done.reduce((n, r) => n + r.sent, 0);
    const received = done.reduce((n, r) => n + r.received, 0);
    const errors = done.reduce((n, r) => n + r.errors, 0);
    const server95 = histogramPercentile(before.buckets, after.buckets, 95);
    const server50 = histogramPercentile(before.buckets, after.buckets, 50);
    const cpu = ((after.cpuSeconds - before.cpuSeconds) / measuredS) * 100;
    const ms = (s: number) => `${s.toFixed(1)} ms`;
    process.stdout.write(
      `${[
        `measured ${measuredS.toFixed(1)} s: ${(sent / measuredS).toFixed(0)} moves/s sent, ${(received / measuredS).toFixed(0)} moved/s received, ${errors} errors, ${after.connections} sockets open`,
        `fan-out, clients (now - ts, 1 ms ts resolution): p50 ${ms(percentile(all, 50))}  p95 ${ms(percentile(all, 95))}  p99 ${ms(percentile(all, 99))}  max ${ms(all[all.length - 1] ?? Number.NaN)}`,
        `fan-out, server histogram (${server95.total} pushes): p50 ${ms(server50.value * 1000)}  p95 ${ms(server95.value * 1000)} (bucket up to ${ms(server95.upper * 1000)})`,
        `game-api: RSS ${(idleRss / 2 ** 20).toFixed(0)} MB idle with the sockets, peak ${(peakRss / 2 ** 20).toFixed(0)} MB; CPU ${cpu.toFixed(0)}% of a core; event-loop lag p99 ${ms(after.loopLagP99 * 1000)}; GC ${(((after.gcSeconds - before.gcSeconds) / measuredS) * 100).toFixed(1)}% of the time`,
        '',
        `target: fan-out p95 < ${TARGET_P95_MS} ms at ${rate} msg/s with ${sockets} sockets: ${percentile(all, 95) < TARGET_P95_MS ? 'MET' : 'MISSED'}`,
      ].join('\n')}\n`,
    );
  } finally {
    for (const c of clients) if (c.exitCode === null) c.kill('SIGKILL');
    await api.stop();
    await db.query('DELETE FROM users WHERE username LIKE ?', [`${namePrefix}%`]).catch(() => undefined);
    await db.end();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
    }
    await redis.quit();
  }
}
