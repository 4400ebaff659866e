import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const THROWS = join(LOADGEN, 'test', 'fixtures', 'always-throws.ts');
const out = (tag: string) => join(LOADGEN, 'test-artifacts', `failing-${tag}-${process.pid}`);
const read = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
/** The thresholds table's row of `expr`, as printed. */
const row = (stdout: string, expr: string) => stdout.split('\n').find((l) => l.startsWith(`${expr} `)) ?? '';

/** test/fixtures/always-throws.ts against a fresh server, its results in its own folder. */
async function runThrows(tag: string, args: string[]) {
  server = await startTestServer();
  const dir = out(tag);
  return { r: await runCli(['run', THROWS, '-t', server.url, '-o', dir, ...args]), dir };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('runs that must fail', () => {
  it('every iteration throwing fails script_errors<1% with exit 99, while errors<1% (HTTP) passes', async () => {
    const { r, dir } = await runThrows('throws', [
      '--threshold',
      'script_errors<1%',
      '--threshold',
      'errors<1%',
      '--threshold',
      'GET /typo:errors<1%',
    ]);
    expect(r.code).toBe(99);
    const s = read(dir);
    // Every iteration started ended in the script's exception: 100% of them.
    expect(s.totals.scriptErrors).toBeGreaterThan(10);
    expect(s.totals.scriptErrors).toBe(s.totals.iterations);
    expect(s.thresholds.map((t) => [t.expr, t.actual, t.passed])).toEqual([
      ['script_errors<1%', 1, false],
      ['errors<1%', 0, true],
      ['GET /typo:errors<1%', null, false],
    ]);
    expect(row(r.stdout, 'script_errors<1%')).toMatch(/100\.00%\s+FAIL/);
    // A name without data says so, never a negative figure.
    expect(row(r.stdout, 'GET /typo:errors<1%')).toMatch(
      /no data\s+FAIL\s+no data: nothing named "GET \/typo" was measured$/,
    );
    expect(r.stdout).not.toMatch(/-100|-1\b/);
    expect(r.stdout).toMatch(
      /^script errors: \d+ of \d+ setups, iterations and teardowns \(100\.00%\); see failures$/m,
    );
  });

  it('a threshold marked abort stops the run as soon as it fails: exit 99, the summary says which and when', async () => {
    const started = Date.now();
    const { r, dir } = await runThrows('abort', [
      '--duration',
      '60s',
      '--metrics-linger',
      '0',
      '--threshold',
      'script_errors<1% abort after 2s',
      '--threshold',
      'errors<1%',
    ]);
    expect(r.code).toBe(99);
    // Stopped once the threshold failed past its 2 s, not after the 60 s asked for.
    expect(Date.now() - started).toBeLessThan(30_000);
    const s = read(dir);
    expect(s.run.aborted).toEqual({
      threshold: 'script_errors<1% abort after 2s',
      atSec: expect.any(Number),
    });
    expect(s.run.aborted?.atSec).toBeGreaterThanOrEqual(2);
    expect(s.run.interrupted).toBe(false);
    expect(s.run.elapsedSec).toBeLessThan(30);
    expect(s.thresholds[0]).toMatchObject({ passed: false, aborted: true });
    expect(s.thresholds[1]).toMatchObject({ passed: true });
    expect(r.stderr).toMatch(/aborted at \d+ s by the threshold "script_errors<1% abort after 2s"/);
    expect(row(r.stdout, 'script_errors<1% abort after 2s')).toMatch(/FAIL \(aborted the run\)/);
  });

  it("a preset's thresholds fail a run in which every iteration throws", async () => {
    // The game pattern's server, but the started session's body is no JSON: the script's
    // started.json() throws in every iteration, after requests that all succeeded.
    server = await startTestServer((req, res) => {
      const route = `${req.method} ${req.url?.split('?')[0]}`;
      if (route === 'POST /api/users') res.writeHead(201).end('{}');
      else if (route === 'POST /api/login') res.writeHead(200).end('{"token":"t"}');
      else if (route === 'POST /api/sessions') res.writeHead(201).end('session 1 started');
      else res.writeHead(200).end('{}');
      return true;
    });
    const dir = out('preset');
    const r = await runCli([
      'run',
      'baseline',
      '-t',
      server.url,
      '-o',
      dir,
      '--duration',
      '3s',
      '--users',
      '2',
    ]);
    expect(r.code).toBe(99);
    const s = read(dir);
    expect(s.totals.errors).toBe(0);
    expect(s.thresholds.find((t) => t.expr === 'script_errors<1%')).toMatchObject({ passed: false });
    expect(s.thresholds.find((t) => t.expr === 'script_errors<1%')?.actual).toBeGreaterThan(0.25);
    expect(s.thresholds.find((t) => t.expr === 'errors<1%')).toMatchObject({ passed: true });
  });
});
