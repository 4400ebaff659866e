// npm run bench -w loadgen: loadgen url vs autocannon vs wrk on one bare node:http target, then
// loadgen's peak RSS with 5,000 closed-model users, and with 10,000 open sockets (BENCH_ONLY=ws).
// Client pinned to core 0, target to core 1.
// Rounds alternate the tools so background load on a shared machine hits them alike.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Finished, hasCommand, pinPrefix, runToEnd, startWithPort } from './child-process.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const autocannonBin = join(
  dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
  'autocannon.js',
);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 5000);
const client = pinPrefix(0);
const work = mkdtempSync(join(tmpdir(), 'loadgen-bench-'));

/** Requests per second, and client CPU microseconds per request (robust to a busy machine). */
type Measured = { rps: number; cpuUsPerReq: number | undefined };
type Tool = { name: string; run: (url: string) => Promise<Measured> };
const measured = (requests: number, seconds: number, cpuSec: number | undefined): Measured => ({
  rps: requests / seconds,
  cpuUsPerReq: cpuSec === undefined ? undefined : (cpuSec * 1e6) / requests,
});

/** `loadgen url` with one HTTP client; its summary gives requests and elapsed time. */
const loadgenUrl =
  (httpClient: 'lean' | 'undici'): Tool['run'] =>
  async (url) => {
    const out = join(work, `url-${httpClient}`);
    const r = await runToEnd([
      ...client,
      process.execPath,
      cli,
      'url',
      url,
      '-c',
      String(CONNECTIONS),
      '-d',
      `${SECONDS}s`,
      '--http-client',
      httpClient,
      '-o',
      out,
    ]);
    if (r.code !== 0) throw new Error(`loadgen url failed: ${r.stderr}`);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      totals: { requests: number };
      run: { elapsedSec: number };
    };
    return measured(s.totals.requests, s.run.elapsedSec, r.cpuSec);
  };

const tools: Tool[] = [
  // The default (lean) is the one the targets are about; undici, the default for https://, alongside.
  { name: 'loadgen url', run: loadgenUrl('lean') },
  { name: 'loadgen url (undici)', run: loadgenUrl('undici') },
  {
    name: 'autocannon',
    run: async (url) => {
      const r = await runToEnd([
        ...client,
        process.execPath,
        autocannonBin,
        '-j',
        '-c',
        String(CONNECTIONS),
        '-d',
        String(SECONDS),
        url,
      ]);
      const j = JSON.parse(r.stdout) as { requests: { total: number }; duration: number };
      return measured(j.requests.total, j.duration, r.cpuSec);
    },
  },
];
if (hasCommand('wrk')) {
  tools.push({
    name: 'wrk',
    run: async (url) => {
      const r = await runToEnd([...client, 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url]);
      const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout);
      if (m === null) throw new Error(`wrk output not understood: ${r.stdout}`);
      return measured(Number(m[1]), Number(m[2]) / (m[3] === 'ms' ? 1000 : 1), r.cpuSec);
    },
  });
} else {
  console.log('wrk not installed (apt-get install -y wrk): skipped');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function throughput(): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(here, 'bare-target.mjs'),
  ]);
  const url = `http://127.0.0.1:${port}/`;
  console.log(
    `throughput: ${CONNECTIONS} connections, ${SECONDS} s each, ${ROUNDS} rounds, client ${client.length ? 'on core 0' : 'unpinned'}, target ${url}`,
  );
  const results = new Map<string, Measured[]>(tools.map((t) => [t.name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const tool of tools) {
        const m = await tool.run(url);
        results.get(tool.name)?.push(m);
        console.log(
          `  round ${round} ${tool.name.padEnd(20)} ${Math.round(m.rps)} req/s  ${m.cpuUsPerReq?.toFixed(1) ?? 'n/a'} CPU µs/req`,
        );
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const med = new Map(
    [...results].map(([k, v]) => [
      k,
      { rps: median(v.map((m) => m.rps)), cpu: median(v.map((m) => m.cpuUsPerReq ?? Number.NaN)) },
    ]),
  );
  console.log('\nmedian over rounds:');
  for (const [k, v] of med)
    console.log(`  ${k.padEnd(20)} ${Math.round(v.rps)} req/s  ${v.cpu.toFixed(1)} CPU µs/req`);
  for (const [mine, other, goal] of [
    ['loadgen url', 'autocannon', 1.0],
    ['loadgen url', 'wrk', 0.8],
    ['loadgen url (undici)', 'autocannon', undefined],
  ] as const) {
    const lg = med.get(mine);
    const o = med.get(other);
    if (lg === undefined || o === undefined) continue;
    console.log(
      `  ${mine} / ${other} = ${(lg.rps / o.rps).toFixed(2)}x req/s${goal === undefined ? '' : ` (target >= ${goal})`}, ` +
        `${(o.cpu / lg.cpu).toFixed(2)}x requests per CPU-second`,
    );
  }
}

async function memory(httpClient: 'undici' | 'lean'): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(here, 'bare-target.mjs'),
  ]);
  const scenario = join(work, 'rss-scenario.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'rss',
      steps: [{ request: 'GET /' }],
      think: { min: 0.5, max: 1.5 },
      model: { type: 'closed', users: USERS, spawnRate: 1000 },
      duration: '20s',
    }),
  );
  try {
    const r = await runToEnd([
      ...client,
      process.execPath,
      cli,
      'run',
      scenario,
      '-t',
      `http://127.0.0.1:${port}`,
      '--http-client',
      httpClient,
      '-o',
      join(work, `rss-${httpClient}`),
    ]);
    if (r.code !== 0) throw new Error(`loadgen run failed: ${r.stderr}`);
    const s = JSON.parse(readFileSync(join(work, `rss-${httpClient}`, 'summary.json'), 'utf8')) as {
      totals: { requests: number; errors: number; peakUsers: number; rps: number };
    };
    console.log(
      `memory, ${httpClient} client: ${USERS} closed-model users (think 0.5-1.5 s, 20 s): peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (target <= 200), ` +
        `peak users ${s.totals.peakUsers}, ${s.totals.requests} requests (${Math.round(s.totals.rps)}/s), ${s.totals.errors} errors`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

/** One run of the game pattern (register, log in, the 8-call loop, no think time) by one client. */
type GameTool = { name: string; run: (target: string) => Promise<Measured> };

/**
 * `loadgen run <scenario> -t <target> ... -o <out>` on the client core (`wrap` adds a prefix such
 * as a raised open-file limit); fails on a non-zero exit, returns the run and its summary.
 */
async function runLoadgen<S>(o: {
  cliPath?: string;
  nodeFlags?: readonly string[];
  scenario: string;
  target: string;
  out: string;
  args?: string[];
  wrap?: (argv: string[]) => string[];
}): Promise<{ r: Finished; summary: S }> {
  const argv = [
    ...client,
    process.execPath,
    ...(o.nodeFlags ?? []),
    o.cliPath ?? cli,
    'run',
    o.scenario,
    '-t',
    o.target,
    ...(o.args ?? []),
    '--metrics-linger',
    '0',
    '-o',
    o.out,
  ];
  const r = await runToEnd(o.wrap ? o.wrap(argv) : argv);
  if (r.code !== 0) throw new Error(`loadgen run ${o.scenario} failed (exit ${r.code}): ${r.stderr}`);
  return { r, summary: JSON.parse(readFileSync(join(o.out, 'summary.json'), 'utf8')) as S };
}

const loadgenGame = (
  name: string,
  cliPath: string,
  scenario: string,
  httpClient: 'undici' | 'lean',
): GameTool => ({
  name,
  run: async (target) => {
    const { r, summary: s } = await runLoadgen<{
      totals: { requests: number; errors: number };
      run: { elapsedSec: number };
    }>({
      cliPath,
      scenario,
      target,
      out: join(work, `game-${name.replace(/\W+/g, '-')}`),
      args: ['-d', `${SECONDS}s`, '--http-client', httpClient],
    });
    if (s.totals.errors > 0) throw new Error(`${name}: ${s.totals.errors} errors`);
    return measured(s.totals.requests, s.run.elapsedSec, r.cpuSec);
  },
});

async function gamePattern(): Promise<void> {
  const tools: GameTool[] = [
    loadgenGame('script (game.ts), undici', cli, join(here, 'game-no-think.ts'), 'undici'),
    loadgenGame('script (game.ts), lean', cli, join(here, 'game-no-think.ts'), 'lean'),
    loadgenGame('JSON form, undici', cli, join(here, 'game-no-think.json'), 'undici'),
  ];
  // The engine before scripts (the JSON engine this one replaced), built from an older commit:
  // BENCH_BASELINE_CLI=/path/to/old/loadgen/dist/cli.js.
  const baseline = process.env.BENCH_BASELINE_CLI;
  if (baseline !== undefined) {
    tools.push(
      loadgenGame('JSON engine before scripts, undici', baseline, join(here, 'game-no-think.json'), 'undici'),
    );
  }
  if (hasCommand('locust')) {
    tools.push({
      name: 'Locust FastHttpUser',
      run: async (target) => {
        const prefix = join(work, 'locust');
        const r = await runToEnd([
          ...client,
          'locust',
          '-f',
          join(here, 'locustfile.py'),
          '--headless',
          '-u',
          '50',
          '-r',
          '1000',
          '-t',
          `${SECONDS}s`,
          '-H',
          target,
          '--only-summary',
          '--csv',
          prefix,
        ]);
        const rows = readFileSync(`${prefix}_stats.csv`, 'utf8').trim().split('\n');
        const header = (rows[0] ?? '').split(',');
        const total = (rows.find((row) => row.includes(',Aggregated,')) ?? '').split(',');
        const requests = Number(total[header.indexOf('Request Count')]);
        if (!(requests > 0)) throw new Error(`locust output not understood: ${r.stderr.slice(-500)}`);
        return measured(requests, SECONDS, r.cpuSec);
      },
    });
  } else {
    console.log('locust not installed (apt-get install -y python3-locust): skipped');
  }
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(here, 'game-target.mjs'),
  ]);
  const target = `http://127.0.0.1:${port}`;
  console.log(`game pattern: 50 users, no think time, ${SECONDS} s each, ${ROUNDS} rounds, target ${target}`);
  const results = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const tool of tools) {
        const m = await tool.run(target);
        results.get(tool.name)?.push(m.rps);
        console.log(`  round ${round} ${tool.name.padEnd(36)} ${Math.round(m.rps)} req/s`);
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const med = new Map([...results].map(([k, v]) => [k, median(v)]));
  console.log('\nmedian over rounds:');
  for (const [k, v] of med) console.log(`  ${k.padEnd(36)} ${Math.round(v)} req/s`);
  // Same client on both sides (undici, the engine before scripts' default), then run's default now.
  for (const [client, mine] of [
    ['undici', 'script (game.ts), undici'],
    ['lean, the default', 'script (game.ts), lean'],
  ] as const) {
    const script = med.get(mine) as number;
    for (const [other, goal] of [
      ['JSON engine before scripts, undici', 0.9],
      ['JSON form, undici', undefined],
      ['Locust FastHttpUser', 4],
    ] as const) {
      const o = med.get(other);
      if (o === undefined) continue;
      console.log(
        `  script (${client}) / ${other} = ${(script / o).toFixed(2)}x${goal === undefined ? '' : ` (target >= ${goal})`}`,
      );
    }
  }
}

/**
 * 5,000 closed-model players of the scripted game pattern, with its think time: peak RSS as
 * loadgen runs by default (lean client, heap growth tuned by src/cli/gc-tuning.ts), then with
 * undici, then with V8's default heap growth, side by side.
 */
async function scriptedMemory(): Promise<void> {
  const { child, port } = await startWithPort([
    ...pinPrefix(1),
    process.execPath,
    join(here, 'game-target.mjs'),
  ]);
  try {
    // loadgen as a user runs it, then with one of its two memory choices undone each time.
    const variants = [
      ['loadgen default (lean client, heap growth 1.3x)', 'default', [], []],
      ['--http-client undici', 'undici', [], ['--http-client', 'undici']],
      ["lean client, V8's default heap growth", 'v8-growth', ['--heap-growing-percent=0'], []],
    ] as const;
    for (const [label, dir, nodeFlags, args] of variants) {
      const { r, summary: s } = await runLoadgen<{
        totals: { requests: number; errors: number; peakUsers: number };
      }>({
        nodeFlags,
        args: [...args],
        scenario: join(here, 'game-5000.ts'),
        target: `http://127.0.0.1:${port}`,
        out: join(work, `rss-game-${dir}`),
      });
      console.log(
        `memory, scripted game pattern, ${label}: 5000 closed-model players (think 0.5-1.5 s, 20 s): peak RSS ${r.peakRssMb?.toFixed(0) ?? 'n/a'} MB (target <= 200), ` +
          `peak users ${s.totals.peakUsers}, ${s.totals.requests} requests, ${s.totals.errors} errors, ` +
          `client CPU ${r.cpuSec?.toFixed(1) ?? 'n/a'} s`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

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
    withFdLimit([...pinPrefix(1), process.execPath, join(here, 'ws-target.mjs')]),
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
      scenario: join(here, 'ws-10k.ts'),
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

const only = process.env.BENCH_ONLY;
if (only === undefined || only === 'throughput') {
  await throughput();
  console.log('');
}
if (only === undefined || only === 'memory') {
  await memory('lean'); // the default for http://
  await memory('undici');
  console.log('');
}
if (only === undefined || only === 'game') {
  await gamePattern();
  console.log('');
}
if (only === undefined || only === 'game' || only === 'game-memory') {
  await scriptedMemory();
}
if (only === undefined || only === 'ws') {
  console.log('');
  await socketMemory();
}
