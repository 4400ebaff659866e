import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// A load tool ends at its duration, on Ctrl-C or on its first error, whatever the target or the
// scenario does. Each run here is killed at LIMIT_MS if it does not end by itself: the test then
// fails on `timedOut` instead of hanging (these runs hung forever before their fix).
const LIMIT_MS = 20_000;
const LOADGEN = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(LOADGEN, 'test', 'fixtures', 'never-ending', name);
const outDir = (name: string) => join(LOADGEN, 'test-artifacts', `runs-that-end-${name}-${process.pid}`);
const summaryIn = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A target whose log-in (the scenarios' setup) always answers 400; anything else 200. */
function refusingLogIn(): Promise<TestServer> {
  return startTestServer((req, res) => {
    if (req.url !== '/session' && req.url !== '/login') return false;
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no such player"}');
    return true;
  });
}

function run(args: string[], signalWhen?: () => boolean) {
  return runCli(['run', ...args, '--target', server?.url ?? '', '--metrics-linger', '0'], {
    timeoutMs: LIMIT_MS,
    signalWhen,
  });
}

/** A run that writes a summary: it must end by itself, with `code`; `gates` are --threshold rules. */
async function runToItsEnd(
  name: string,
  code: number,
  args: string[],
  gates: string[] = [],
  signalWhen?: () => boolean,
) {
  const out = outDir(name);
  const r = await run([...args, '--out', out, ...gates.flatMap((g) => ['--threshold', g])], signalWhen);
  expect(r.timedOut).toBe(false);
  expect(r.code).toBe(code);
  return { stdout: r.stdout, msAfterSignal: r.msAfterSignal, summary: summaryIn(out) };
}

describe('a run that cannot start ends with its error', () => {
  it('a data file with fewer rows than --threads: exit 2 with the message, before any request', async () => {
    server = await startTestServer();
    // --metrics-port too: its server, once listening, would also keep the process alive.
    const r = await run([fixture('one-row-feed.ts'), '--threads', '2', '--metrics-port', '0']);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one-row\.csv: 1 rows cannot give every one of the 2 parts/);
    expect(server.total()).toBe(0);
  });

  it('a part that fails to start while another thread is up: exit 2, file and line, no worker left', async () => {
    server = await startTestServer();
    const r = await run([fixture('second-thread-fails.ts'), '--threads', '2']);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /worker 1: scenario .*second-thread-fails\.ts failed while loading: Error: this thread cannot start \(second-thread-fails\.ts:\d+\)/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Only the scrape of the target's /metrics before the run: no user sent a request.
    expect([...server.counts.keys()]).toEqual(['GET /metrics']);
  });
});

describe('a setup that fails every time', () => {
  it('open model, a script: the run ends at its duration with the setup failures and the dropped iterations, and fails its gates', async () => {
    server = await refusingLogIn();
    const { stdout, summary } = await runToItsEnd(
      'open-script',
      99,
      [fixture('setup-fails.ts')],
      ['dropped<1', 'script_errors<1%'],
    );
    expect(summary.run.interrupted).toBe(false);
    expect(summary.run.elapsedSec).toBe(2);
    // 5 arrivals/s for 2 s: both pre-allocated users are still in setup, the first arrival makes
    // the third and last user (maxVUs 3), which never gets past its setup either: 9 dropped.
    expect(summary.totals.droppedIterations).toBe(9);
    expect(summary.totals.iterations).toBe(0);
    // Every log-in the server answered is in the summary, as setup, and why it failed is shown.
    expect(summary.endpoints.map((e) => [e.endpoint, e.count, e.errors, e.setup])).toEqual([
      ['POST /session', server.counts.get('POST /session'), server.counts.get('POST /session'), true],
    ]);
    expect(summary.failures).toContainEqual(
      expect.objectContaining({
        endpoint: '(setup)',
        kind: 'script_error',
        count: server.counts.get('POST /session'),
        sample: expect.stringMatching(/^Error: log in: HTTP 400 \(setup-fails\.ts:\d+\)$/),
      }),
    );
    // Each setup tried is counted; all failed but those the end of the run cut short.
    expect(summary.totals.setups).toBeGreaterThanOrEqual(summary.totals.scriptErrors ?? 0);
    expect(summary.thresholds).toEqual([
      expect.objectContaining({ expr: 'dropped<1', actual: 9, passed: false }),
      expect.objectContaining({ expr: 'script_errors<1%', passed: false }),
    ]);
    expect(stdout).toMatch(/dropped iterations: 9/);
    expect(stdout).toMatch(/\(setup\)\s+script_error/);
  });

  it('open model, a JSON scenario whose setup gets 400, in two threads: ends at its duration, errors<1% fails', async () => {
    server = await refusingLogIn();
    const { summary } = await runToItsEnd(
      'open-json',
      99,
      [fixture('setup-fails.json'), '--threads', '2'],
      ['errors<1%'],
    );
    expect(summary.run.interrupted).toBe(false);
    // Per thread: 5 arrivals, the first makes its second and last user (maxVUs 4 over 2 threads).
    expect(summary.totals.droppedIterations).toBe(8);
    expect(summary.totals.errorRate).toBe(1);
    expect(summary.endpoints.find((e) => e.endpoint === 'POST /login')?.count).toBe(
      server.counts.get('POST /login'),
    );
    expect(server.counts.get('GET /lobby/queue')).toBeUndefined();
    expect(summary.failures).toContainEqual(
      expect.objectContaining({
        endpoint: '(setup)',
        kind: 'script_error',
        sample: expect.stringMatching(/log in answered HTTP 400 \(token-user\.ts:\d+\)/),
      }),
    );
    expect(summary.thresholds).toEqual([expect.objectContaining({ expr: 'errors<1%', passed: false })]);
  });

  it('open model: SIGINT mid-run ends it long before its 60 s duration, exit 130, the failures so far in an interrupted summary', async () => {
    server = await refusingLogIn();
    // Past the start: the pre-allocated users' first log-ins, the third user's, then their retries.
    const { msAfterSignal, summary } = await runToItsEnd(
      'open-sigint',
      130,
      [fixture('setup-fails.ts'), '--duration', '60s'],
      [],
      () => (server?.counts.get('POST /session') ?? 0) >= 6,
    );
    // A functional bound, not a speed figure: the run stops on the signal instead of going on to
    // its duration, with room for a loaded 2-core machine to be slow at it.
    expect(msAfterSignal).toBeLessThan(10_000);
    expect(summary.run.interrupted).toBe(true);
    expect(summary.totals.droppedIterations).toBeGreaterThan(0);
    expect(summary.totals.scriptErrors).toBeGreaterThanOrEqual(6);
    expect(summary.failures).toContainEqual(
      expect.objectContaining({ endpoint: '(setup)', kind: 'script_error' }),
    );
  });

  it('closed model: the run ends at its duration with the setup failures, errors<1% and script_errors<1% fail', async () => {
    server = await refusingLogIn();
    const { summary } = await runToItsEnd(
      'closed',
      99,
      [fixture('setup-fails-closed.json')],
      ['errors<1%', 'script_errors<1%'],
    );
    expect(summary.run.interrupted).toBe(false);
    expect(summary.run.elapsedSec).toBe(2);
    expect(summary.totals.iterations).toBe(0);
    expect(summary.endpoints.map((e) => [e.endpoint, e.count, e.setup])).toEqual([
      ['POST /login', server.counts.get('POST /login'), true],
    ]);
    // Three users, each tried at the start and a second later at least.
    expect(summary.totals.scriptErrors).toBeGreaterThanOrEqual(6);
    expect(summary.thresholds).toEqual([
      expect.objectContaining({ expr: 'errors<1%', actual: 1, passed: false }),
      expect.objectContaining({ expr: 'script_errors<1%', passed: false }),
    ]);
  });
});
