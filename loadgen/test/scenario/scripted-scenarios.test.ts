import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { accountsOf, type LobbyServer, startLobbyServer } from '../helpers/lobby-server.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(LOADGEN, 'examples', 'lobby.ts');
const ACCOUNTS = accountsOf(readFileSync(join(LOADGEN, 'examples', 'accounts.csv'), 'utf8'));
const fixture = (name: string) => join(LOADGEN, 'test', 'fixtures', name);

let lobby: LobbyServer | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await lobby?.close();
  await server?.close();
  lobby = undefined;
  server = undefined;
});

describe('the second example (loadgen/examples/lobby.ts) against a server of its shape', () => {
  it('logs in from the CSV with a cookie, takes the step the last response chose, and counts as the server does', async () => {
    lobby = await startLobbyServer(ACCOUNTS);
    const config = resolveRun(await loadScenario(EXAMPLE), { target: lobby.url, durationSec: 3 });
    config.gracefulStopSec = 3;
    const summary = await runScenario(config);

    // Four users, four distinct rows of accounts.csv, each logged in once and out once (teardown).
    expect(new Set(lobby.logins).size).toBe(4);
    expect(lobby.logins).toHaveLength(4);
    expect(lobby.logouts).toBe(4);
    // The cookie was sent on every call after the login: no 401 anywhere.
    expect(summary.failures).toEqual([]);
    // Both branches of the conditional step ran, and the check counted the joins.
    const byEndpoint = Object.fromEntries(summary.endpoints.map((e) => [e.endpoint, e]));
    expect(byEndpoint['POST /session']?.setup).toBe(true);
    expect(byEndpoint['POST /lobby/:id/join']?.count).toBeGreaterThan(0);
    expect(byEndpoint['GET /lobby/queue']?.count).toBeGreaterThan(0);
    expect(summary.checks).toEqual([
      { label: 'joined an open lobby', passes: byEndpoint['POST /lobby/:id/join']?.count, fails: 0 },
    ]);
    // Every endpoint's count and statuses are the server's own.
    const loadgenSide = new Map<string, number>();
    for (const e of summary.endpoints) {
      for (const [status, n] of Object.entries(e.statusCounts)) loadgenSide.set(`${e.endpoint} ${status}`, n);
    }
    expect(loadgenSide).toEqual(lobby.counts);
    expect(summary.thresholds.every((t) => t.passed)).toBe(true);
  });
});

describe('user code cannot break the run', () => {
  it('an exception in an iteration (JSON read from a non-JSON body) fails it as script_error, with file and line', async () => {
    server = await startTestServer();
    const config = resolveRun(await loadScenario(fixture('non-json.ts')), {
      target: server.url,
      durationSec: 1,
    });
    config.gracefulStopSec = 1;
    const summary = await runScenario(config);
    const scriptErrors = summary.failures.filter((f) => f.kind === 'script_error');
    expect(scriptErrors).toHaveLength(1);
    expect(scriptErrors[0]?.endpoint).toBe('(iteration)');
    expect(scriptErrors[0]?.sample).toMatch(
      /^Error: GET \/not-json: the response \(HTTP 200\) is not JSON: "ok" \(non-json\.ts:8\)$/,
    );
    // Every finished iteration failed in the script; each request itself succeeded.
    expect(summary.totals.scriptErrors).toBe(scriptErrors[0]?.count);
    expect(summary.totals.scriptErrors).toBeGreaterThan(10);
    expect(summary.totals.errors).toBe(0);
    expect(summary.endpoints[0]?.count).toBeGreaterThanOrEqual(summary.totals.scriptErrors ?? 0);
  });

  it.each([
    [
      'syntax-error.ts',
      /scenario .*syntax-error\.ts does not compile:\n {2}.*syntax-error\.ts:7:28: Expected "\)" but found "\{"/,
    ],
    [
      'no-default-export.ts',
      /scenario .*no-default-export\.ts has no default export made by defineScenario\(\)/,
    ],
    [
      'throws-on-load.ts',
      /scenario .*throws-on-load\.ts failed while loading: Error: no accounts to play with \(throws-on-load\.ts:5\)/,
    ],
    [
      'bad-options.ts',
      /scenario .*bad-options\.ts: options\.model\.users: Too small.*; duration: "forever" is not a duration/,
    ],
  ])(
    '%s stops the run before any request: exit 2, file and line, no loadgen stack frame',
    async (file, message) => {
      server = await startTestServer();
      const r = await runCli(['run', fixture(`broken/${file}`), '--target', server.url, '--duration', '1s']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/loadgen[\\/](dist|src)[\\/]|\n\s+at /);
      expect(server.total()).toBe(0);
    },
  );

  it('loadgen check finds a type error that run would strip, with file and line; a good script passes', async () => {
    const bad = await runCli(['check', fixture('broken/type-error.ts')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /type-error\.ts:6:43: Object literal may only specify known properties, but 'jsn' does not exist in type 'RequestOptions'/,
    );
    const good = await runCli(['check', EXAMPLE]);
    expect(good.stderr).toBe('');
    expect(good.stdout).toBe('ok: lobby: closed, 4 users at 4/s, constant for 10s, 12 rows of data\n');
    expect(good.code).toBe(0);
  });

  it('loadgen check finds a misuse of the measurements API at its line; vu.time returns the type fn does', async () => {
    const bad = await runCli(['check', fixture('broken/metrics-type-error.ts')]);
    expect(bad.code).toBe(2);
    // Only the counter's string is wrong: room.players is a number, as fn returned it.
    expect(bad.stderr).toMatch(
      /has type errors:\n {2}.*metrics-type-error\.ts:8:36: Argument of type 'string' is not assignable to parameter of type 'number'\.\n$/,
    );
  });

  it('SIGINT while every user is stuck in setup (a target that answers 500): exit 130 within 2 s, interrupted summary', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
      return true;
    });
    const out = join(LOADGEN, 'test-artifacts', `setup-sigint-${process.pid}`);
    const running = runCli(['run', 'burst', '--target', server.url, '--out', out, '--metrics-linger', '0'], {
      signalWhen: () => (server?.counts.get('POST /api/users') ?? 0) >= 50,
    });
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.msAfterSignal).toBeLessThan(2000);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.run.interrupted).toBe(true);
    // The setup's register calls are measured as setup, and why setup failed is in the table.
    expect(summary.endpoints).toContainEqual(
      expect.objectContaining({ endpoint: 'POST /api/users', setup: true }),
    );
    expect(summary.failures).toContainEqual(
      expect.objectContaining({
        endpoint: '(setup)',
        kind: 'script_error',
        sample: expect.stringMatching(/register answered HTTP 500 \(game\.ts:\d+\)/),
      }),
    );
  });
});

describe('a script with a CSV feed in two segments of two threads each', () => {
  it('merged counts equal one process, and no account is used by both segments', async () => {
    lobby = await startLobbyServer(ACCOUNTS);
    const dir = join(LOADGEN, 'test-artifacts', `csv-segments-${process.pid}`);
    const run = async (tag: string, extra: string[]) => {
      const before = lobby?.logins.length ?? 0;
      const r = await runCli([
        'run',
        fixture('csv-accounts.ts'),
        '--target',
        lobby?.url ?? '',
        '--threads',
        '2',
        '--testid',
        'csv-segments',
        '--out',
        join(dir, tag),
        '--metrics-linger',
        '0',
        ...extra,
      ]);
      expect(r.stderr).not.toMatch(/error|failed/i);
      expect(r.code).toBe(0);
      return { summary: join(dir, tag, 'summary.json'), accounts: lobby?.logins.slice(before) ?? [] };
    };
    const whole = await run('whole', []);
    const seg0 = await run('seg0', ['--segment', '0/2']);
    const seg1 = await run('seg1', ['--segment', '1/2']);

    // 8 users over 4 parts: every user its own row, in one process as across the segments.
    expect(new Set(whole.accounts).size).toBe(8);
    expect(seg0.accounts).toHaveLength(4);
    expect(seg1.accounts).toHaveLength(4);
    expect(seg0.accounts.filter((a) => seg1.accounts.includes(a))).toEqual([]);
    expect(new Set([...seg0.accounts, ...seg1.accounts])).toEqual(new Set(whole.accounts));

    const merged = join(dir, 'merged', 'summary.json');
    const m = await runCli(['merge', seg0.summary, seg1.summary, '-o', join(dir, 'merged')]);
    expect(m.code).toBe(0);
    const counts = (file: string) =>
      Object.fromEntries(
        (JSON.parse(readFileSync(file, 'utf8')).endpoints as Array<{ endpoint: string; count: number }>).map(
          (e) => [e.endpoint, e.count],
        ),
      );
    // Each user logs in once and plays exactly three rounds, so the counts are exact.
    expect(counts(whole.summary)).toEqual({ 'GET /lobby/queue': 24, 'POST /session': 8 });
    expect(counts(merged)).toEqual(counts(whole.summary));
  });
});
