/**
 * game-api benchmark (`npm run bench -w services/game-api`), not part of the tests.
 *
 * In one run, on the same machine: a bare Express "hello" handler and game-api (real MySQL and
 * Redis), each pinned to core 1 while autocannon drives them from core 0 (when taskset exists).
 * Prints req/s and p50/p99 for GET /api/me (cache hit), GET /api/leaderboard and POST /api/login,
 * the ratios to bare Express, and GET /api/me's p99 while logins saturate the hash pool.
 *
 * `BENCH_SUITE=ws` runs the WebSocket scale bench instead (`ws-scale.ts`).
 *
 * Env: MYSQL_URL (server, default mysql://root@127.0.0.1:3306), REDIS_URL, BENCH_DURATION (s, 5),
 * BENCH_CONNECTIONS (20), BENCH_ROUNDS (3, alternating; medians reported), BENCH_WARMUP (s per
 * case before the rounds, 3), BCRYPT_COST (10).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { splitMysqlUrl } from '../src/db/database.js';
import { hasTaskset, startTarget } from './targets.js';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
// MYSQL_URL may name a database or not (the tests' form has none): the bench uses its own.
const benchMysqlUrl = new URL(
  'game_load_lab_bench',
  splitMysqlUrl(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').serverUrl,
).toString();
const pin = hasTaskset();
if (pin) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ duration, connections, ...opts });
  return {
    name,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** The round with the median req/s, so its latencies come from the same measurement. */
const medianRow = (rows: Row[]): Row => {
  const m = median(rows.map((r) => r.reqPerSec));
  return rows.find((r) => r.reqPerSec === m)!;
};

async function json(url: string, body?: object, token?: string) {
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function main() {
  process.stdout.write(
    `game-api bench: ${duration}s per case, ${rounds} alternating rounds, ${connections} connections, ${pin ? 'targets on core 1, client on core 0' : 'no taskset: unpinned'}\n`,
  );
  const bare = await startTarget('./bare-express.ts', {}, pin ? 1 : undefined);
  const api = await startTarget(
    '../src/main.ts',
    {
      PORT: '0',
      MYSQL_URL: benchMysqlUrl,
      REDIS_KEY_PREFIX: `bench:${randomBytes(3).toString('hex')}:`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PASSWORD_PEPPER: randomBytes(32).toString('hex'),
      BCRYPT_COST: process.env.BCRYPT_COST ?? '10',
      HASH_WORKERS: '1',
      // info: the start-up line `startTarget` waits for; requests below 400 log at debug only.
      LOG_LEVEL: 'info',
    },
    pin ? 1 : undefined,
  );
  try {
    const credentials = { username: `bench_${randomBytes(5).toString('hex')}`, password: 'bench-password-1' };
    await json(`${api.url}/api/users`, credentials);
    const { token } = (await json(`${api.url}/api/login`, credentials)) as { token: string };
    const session = (await json(`${api.url}/api/sessions`, {}, token)) as { id: number };
    await json(`${api.url}/api/sessions/${session.id}/score`, { points: 10 }, token);
    await json(`${api.url}/api/sessions/${session.id}/end`, {}, token);
    await json(`${api.url}/api/me`, undefined, token);
    await json(`${api.url}/api/leaderboard`, undefined, token);
    const auth = { authorization: `Bearer ${token}` };
    const loginOpts: autocannon.Options = {
      url: `${api.url}/api/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
      connections: 4,
    };

    // Alternating rounds, medians: the machine is shared, and one case measured while something
    // else ran would move a ratio by 10% or more (seen here: bare Express 8.3k-10.7k req/s).
    const cases: Array<[string, autocannon.Options]> = [
      ['bare Express GET /hello', { url: `${bare.url}/hello` }],
      ['GET /api/me (cache hit)', { url: `${api.url}/api/me`, headers: auth }],
      ['GET /api/leaderboard', { url: `${api.url}/api/leaderboard`, headers: auth }],
      ['POST /api/login', loginOpts],
    ];
    // Warm-up, not counted: the JIT needs a few thousand requests per path (seen here: an
    // unwarmed first round of GET /api/me measured 0.51x bare Express, the third 0.70x).
    for (const [, opts] of cases.slice(0, 3)) await measure('warm-up', { ...opts, duration: warmup });
    const byCase: Row[][] = cases.map(() => []);
    for (let round = 1; round <= rounds; round++) {
      for (const [i, [name, opts]] of cases.entries()) {
        const row = await measure(name, opts);
        byCase[i]!.push(row);
        process.stdout.write(`  round ${round} ${name.padEnd(28)} ${row.reqPerSec.toFixed(0)} req/s\n`);
      }
    }
    const rows: Row[] = byCase.map(medianRow);
    const meRatios = byCase[1]!.map((r, i) => r.reqPerSec / byCase[0]![i]!.reqPerSec);
    const [meUnderLogin] = await Promise.all([
      measure('GET /api/me while logins saturate the hash pool', {
        url: `${api.url}/api/me`,
        headers: auth,
        connections: 10,
      }),
      measure('(POST /api/login alongside)', loginOpts),
    ]);
    rows.push(meUnderLogin);

    const base = rows[0]!.reqPerSec;
    const pad = (s: string, n: number) => s.padEnd(n);
    process.stdout.write(
      `\n${pad('case', 50)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('vs bare', 9)}non-2xx/errors\n`,
    );
    for (const r of rows) {
      process.stdout.write(
        `${pad(r.name, 50)}${pad(r.reqPerSec.toFixed(0), 10)}${pad(String(r.p50), 9)}${pad(String(r.p99), 9)}${pad(`${(r.reqPerSec / base).toFixed(2)}x`, 9)}${r.non2xx}/${r.errors}\n`,
      );
    }
    const meRatio = median(meRatios);
    process.stdout.write('\ntargets:\n');
    process.stdout.write(
      `  GET /api/me >= 0.60x bare Express req/s: ${meRatio.toFixed(2)}x (median of rounds: ${meRatios.map((r) => r.toFixed(2)).join(', ')}) ${meRatio >= 0.6 ? 'MET' : 'MISSED'}\n`,
    );
    process.stdout.write(
      `  GET /api/me p99 < 25 ms while logins saturate the hash pool: ${meUnderLogin.p99} ms ${meUnderLogin.p99 < 25 ? 'MET' : 'MISSED'}\n`,
    );
  } finally {
    await Promise.all([bare.stop(), api.stop()]);
  }
}

// BENCH_SUITE=ws selects the WebSocket scale bench (ws-scale.ts) instead of this one.
const suite = process.env.BENCH_SUITE === 'ws' ? import('./ws-scale.js').then((m) => m.main()) : main();
suite.catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
