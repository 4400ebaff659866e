import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCallPattern } from '../../src/model/call-pattern.js';
import { readSummaryFile } from '../../src/model/summary-files.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'loadgen-cli-'));
const scenarioFile = join(dir, 'scenario.json');

beforeAll(async () => {
  server = await startTestServer();
  writeFileSync(
    scenarioFile,
    JSON.stringify({
      name: 'cli-test',
      label: 'smoke',
      steps: [{ request: 'GET /a' }, { request: 'POST /b', body: { n: '{{randInt 1 9}}' } }],
      think: 0.01,
      model: { type: 'closed', users: 4, spawnRate: 100 },
      duration: '2s',
    }),
  );
});
afterAll(async () => {
  await server.close();
});

describe('loadgen CLI (built binary)', () => {
  it('has --help with examples on every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) \[options\]/gm)].map((m) => m[1] as string);
    expect(commands).toEqual(
      expect.arrayContaining(['run', 'url', 'merge', 'report', 'compare', 'capacity', 'history']),
    );
    for (const command of commands) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toContain(`Usage: loadgen ${command}`);
      expect(r.stdout, command).toContain('Examples:');
    }
    // capacity says what it needs and what it prints.
    const capacity = (await runCli(['capacity', '--help'])).stdout;
    expect(capacity).toMatch(/^Needs: the summary\.json of a run with a step profile/m);
    expect(capacity).toMatch(/^Prints: a table of the steps/m);
  });

  it('run writes summary.json and stats.csv and exits 0 when thresholds pass', async () => {
    const out = join(dir, 'pass');
    const r = await runCli([
      'run',
      scenarioFile,
      '-t',
      server.url,
      '-o',
      out,
      '--threshold',
      'errors<1%',
      '--threshold',
      'GET /a:p95<5000',
    ]);
    expect(r.stderr).toContain('wrote');
    expect(r.code).toBe(0);
    const s = readSummaryFile(join(out, 'summary.json'));
    expect(s.run.scenario).toEqual({ name: 'cli-test', label: 'smoke' });
    expect(s.endpoints.map((e) => e.endpoint)).toEqual(['GET /a', 'POST /b']);
    // The JSON scenario declares no call pattern: the run's loop endpoints make one.
    expect(s.run.callPattern).toBe(deriveCallPattern([{ endpoint: 'POST /b' }, { endpoint: 'GET /a' }]));
    expect(s.thresholds.every((t) => t.passed)).toBe(true);
    const csv = readFileSync(join(out, 'stats.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^endpoint,requests,errors/);
    expect(csv.at(-1)).toMatch(new RegExp(`^Aggregated,${s.totals.requests},0,`));
    expect(r.stdout).toMatch(/thresholds:[\s\S]*GET \/a:p95<5000\s+\S+\s+pass/);
  });

  it('serves its metrics on the address LOADGEN_METRICS_HOST (or --metrics-host) names, and says which', async () => {
    const args = ['run', scenarioFile, '-t', server.url, '-d', '1s', '-o', join(dir, 'metrics-host')];
    const metrics = ['--metrics-port', '0', '--metrics-linger', '0'];
    const loopback = await runCli([...args, ...metrics], { env: { LOADGEN_METRICS_HOST: '127.0.0.1' } });
    expect(loopback.code).toBe(0);
    expect(loopback.stderr).toMatch(/^metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    const everywhere = await runCli([...args, ...metrics, '--metrics-host', '0.0.0.0']);
    expect(everywhere.stderr).toMatch(/^metrics on http:\/\/0\.0\.0\.0:\d+\/metrics$/m);
  });

  it('--dashboard does not hold a script after its run (stdout not a terminal); --dashboard-linger takes a duration', async () => {
    const args = ['run', scenarioFile, '-t', server.url, '-d', '1s', '--dashboard=127.0.0.1:0'];
    const r = await runCli([...args, '-o', join(dir, 'dashboard')], { timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('the final state and the report stay at');
    const bad = await runCli([...args, '--dashboard-linger', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--dashboard-linger "soon" is not a duration');
  });

  it('a failing threshold prints FAIL and exits 99', async () => {
    const r = await runCli(['url', `${server.url}/x`, '-c', '2', '-d', '1s', '--threshold', 'p50<0.0001']);
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/p50<0.0001\s+\S+\s+FAIL/);
  });

  it('bad input exits 2 with one line naming the flag or field', async () => {
    const bad = await runCli(['run', 'baseline', '-t', server.url, '--users', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--users must be a positive number, got "lots"');
    // LOADGEN_HEALTH has one value, off: a misspelt one is refused before any request.
    const health = await runCli(['url', `${server.url}/x`, '-d', '1s'], { env: { LOADGEN_HEALTH: 'false' } });
    expect(health.code).toBe(2);
    expect(health.stderr.trim().split('\n').at(-1)).toContain(
      'LOADGEN_HEALTH=false: the only value is "off"',
    );
    const badFile = join(dir, 'bad.json');
    writeFileSync(
      badFile,
      JSON.stringify({
        name: 'bad',
        steps: [{ request: 'GET /' }],
        model: { type: 'closed', users: 2 },
        think: -1,
      }),
    );
    const r = await runCli(['run', badFile, '-t', server.url]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^loadgen: scenario .*bad\.json: think: /);
    const threshold = await runCli(['run', 'baseline', '-t', server.url, '--threshold', 'p95 fast']);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain('threshold "p95 fast"');
  });

  it('url and run send with the lean HTTP client to http:// by default, and --http-client picks either', async () => {
    /** Runs 1 s, expects exit 0, returns the summary and what the command printed on stderr. */
    const ran = async (args: string[], out: string) => {
      const r = await runCli([...args, '-d', '1s', '-o', join(dir, out)]);
      expect(r.code).toBe(0);
      return { summary: readSummaryFile(join(dir, out, 'summary.json')), stderr: r.stderr };
    };
    const before = server.counts.get('GET /lean') ?? 0;
    const lean = await ran(['url', `${server.url}/lean`, '-c', '3'], 'lean');
    expect(lean.stderr).toContain('lean client');
    expect(lean.summary.run.httpClient).toBe('lean');
    expect(lean.summary.totals.errors).toBe(0);
    // Every request the summary counts reached the server (none lost, none counted twice).
    expect((server.counts.get('GET /lean') ?? 0) - before).toBe(lean.summary.totals.requests);

    const urlUndici = await ran(['url', `${server.url}/u`, '--http-client', 'undici'], 'u');
    expect(urlUndici.summary.run.httpClient).toBe('undici');
    const runDefault = await ran(['run', scenarioFile, '-t', server.url], 'run-default');
    expect(runDefault.summary.run.httpClient).toBe('lean');
    const runUndici = await ran(
      ['run', scenarioFile, '-t', server.url, '--http-client', 'undici'],
      'run-undici',
    );
    expect(runUndici.summary.run.httpClient).toBe('undici');
    for (const r of [runDefault, runUndici]) {
      expect(r.summary.endpoints.map((e) => [e.endpoint, e.errors])).toEqual([
        ['GET /a', 0],
        ['POST /b', 0],
      ]);
    }
  });

  it('a bad --http-client, or lean on https, exits 2 naming the flag', async () => {
    const bogus = await runCli(['url', `${server.url}/x`, '--http-client', 'curl']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/--http-client.*curl.*undici, lean/);
    const https = await runCli(['run', 'baseline', '-t', 'https://127.0.0.1:1', '--http-client', 'lean']);
    expect(https.code).toBe(2);
    expect(https.stderr).toContain('--http-client lean speaks plain http:// only');
  });

  it('an unreachable target fails fast with exit 3, before any ramp', async () => {
    const port = await freePort();
    const r = await runCli(['run', 'baseline', '-t', `http://127.0.0.1:${port}`, '-o', join(dir, 'never')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/target http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('SIGINT stops the users, writes a summary marked interrupted and exits 130', async () => {
    const out = join(dir, 'interrupted');
    const before = server.total();
    // Mid-run: once the users have sent 20 requests.
    const r = await runCli(['run', scenarioFile, '-t', server.url, '-d', '60s', '-o', out], {
      signalWhen: () => server.total() - before >= 20,
    });
    expect(r.code).toBe(130);
    const s = readSummaryFile(join(out, 'summary.json'));
    expect(s.run.interrupted).toBe(true);
    expect(s.totals.requests).toBeGreaterThan(0);
    expect(s.run.elapsedSec).toBeLessThan(30);
  });

  it('worker threads share an open-model rate exactly', async () => {
    const out = join(dir, 'threads');
    const r = await runCli([
      'run',
      scenarioFile,
      '-t',
      server.url,
      '--rate',
      '100',
      '--threads',
      '2',
      '-d',
      '2s',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const s = readSummaryFile(join(out, 'summary.json'));
    expect(s.run.threads).toBe(2);
    expect(Math.abs(s.totals.iterations - 200)).toBeLessThanOrEqual(4);
    expect(s.totals.errors).toBe(0);
  });

  it('merge combines segment summaries into the whole', async () => {
    const runs = await Promise.all(
      ['0/2', '1/2'].map((seg, i) =>
        runCli([
          'run',
          scenarioFile,
          '-t',
          server.url,
          '--rate',
          '40',
          '-d',
          '2s',
          '--testid',
          'm1',
          '--segment',
          seg,
          '-o',
          join(dir, `seg${i}`),
        ]),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const parts = [0, 1].map((i) => readSummaryFile(join(dir, `seg${i}`, 'summary.json')));
    const out = join(dir, 'merged');
    const m = await runCli([
      'merge',
      join(dir, 'seg0', 'summary.json'),
      join(dir, 'seg1', 'summary.json'),
      '-o',
      out,
    ]);
    expect(m.code).toBe(0);
    const merged = readSummaryFile(join(out, 'summary.json'));
    expect(merged.run.segment).toEqual({ index: 0, count: 1 });
    expect(merged.run.callPattern).toBe(parts[0]!.run.callPattern);
    expect(merged.totals.iterations).toBe(parts[0]!.totals.iterations + parts[1]!.totals.iterations);
    expect(Math.abs(merged.totals.iterations - 80)).toBeLessThanOrEqual(2);
    const bad = await runCli(['merge', scenarioFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a loadgen summary: schemaVersion is undefined/);
  });
});
